import type { CaRow } from "../../store/cas";
import { openKey } from "../keys/envelope";
import { createSoftwareSigner } from "./software";
import type { CaSigner } from "../signer";

/**
 * Opens the signer of a CA row by its key storage: "encrypted" (scrypt + AES-256-GCM envelope,
 * unlocked with the CA passphrase) now; "pkcs11" (a key on an HSM/token, by PKCS#11 URI) is the
 * place a later issue plugs in (graphene-pk11 is installed).
 */
export async function openSigner(row: CaRow, passphrase: string): Promise<CaSigner> {
  switch (row.key_storage) {
    case "encrypted": {
      if (!row.key_encrypted) throw new Error(`CA ${row.name} has no encrypted key`);
      const pkcs8 = await openKey(row.key_encrypted, passphrase);
      try {
        return await createSoftwareSigner(row.name, row.certificate, pkcs8);
      } finally {
        pkcs8.fill(0);
      }
    }
    case "pkcs11":
      throw new Error(`CA ${row.name}: PKCS#11 keys (${row.key_ref}) are not supported yet`);
    default:
      throw new Error(`CA ${row.name}: unknown key storage ${String(row.key_storage)}`);
  }
}
