import type { LoggerService } from '@backstage/backend-plugin-api';
import type { RegistryConnectionStore } from '../database/RegistryConnectionStore';

/**
 * Completes a key rotation at start-up: stored credentials still under an older key are
 * encrypted again with the first one. Those that cannot be read are named (never shown).
 */
export async function reencryptCredentials(
  connections: RegistryConnectionStore,
  logger: LoggerService,
) {
  const { reencrypted, failed } = await connections.reencryptAll();
  if (reencrypted.length > 0) {
    logger.info(
      `Re-encrypted the credentials of ${reencrypted.length} registries with the current key`,
    );
  }
  for (const { id, field, message } of failed) {
    logger.warn(`Credential ${field} of registry "${id}": ${message}`);
  }
}
