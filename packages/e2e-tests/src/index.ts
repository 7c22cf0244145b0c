// Browser tests only; see walkthrough.test.ts.
export {};
