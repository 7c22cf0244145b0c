import type { ConnectionTestResult } from '@container-inventory/plugin-container-registry-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  StatusError,
  StatusOK,
  StatusPending,
} from '@backstage/core-components';

function Check({ label, passed }: { label: string; passed?: boolean }) {
  if (passed === undefined)
    return <StatusPending>{label}: not checked</StatusPending>;
  return passed ? (
    <StatusOK>{label}: yes</StatusOK>
  ) : (
    <StatusError>{label}: no</StatusError>
  );
}

/** The verdict of a connection test and each of its checks. */
export function ConnectionTestVerdict({
  result,
}: {
  result: ConnectionTestResult;
}) {
  const { checks } = result;
  return (
    <Box role="status" aria-label="Connection test result" my={1}>
      <Typography
        variant="subtitle2"
        color={result.ok ? 'textPrimary' : 'error'}
      >
        {result.ok ? 'Connection works' : 'Connection failed'}: {result.message}
      </Typography>
      <Box display="flex" flexDirection="column">
        <Check label="Reachable" passed={checks.reachable} />
        <Check
          label="Credentials accepted"
          passed={checks.credentialsAccepted}
        />
        <Check label="Listing allowed" passed={checks.listingAllowed} />
        {checks.repositoryCount !== undefined && (
          <Typography variant="body2">
            Repositories visible: {checks.repositoryCount}
          </Typography>
        )}
      </Box>
    </Box>
  );
}
