/** A stack of three containers, shown when the sidebar is closed. */
export const LogoIcon = () => (
  <svg
    width={28}
    height={28}
    viewBox="0 0 28 28"
    aria-label="Container Inventory"
  >
    {[2, 11, 20].map(y => (
      <rect key={y} x={2} y={y} width={24} height={6} rx={1.5} fill="#7df3e1" />
    ))}
  </svg>
);
