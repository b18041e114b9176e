import crypto from "node:crypto";
import * as graphene from "graphene-pk11";
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate } from "@peculiar/asn1-x509";
import * as p11 from "./pkcs11";
import { buildCsr } from "./csr";
import { ServiceClient, pemBlocks } from "./client";

/**
 * The device officer's station: what happens to a token plugged into the workstation, and what the
 * service is told about it. PKCS#11 operations are synchronous (graphene); HTTP calls sit between
 * them, so the module stays loaded for one command only.
 */
export interface TokenTarget {
  module: string;
  label: string;
}

interface DeviceDto {
  id: string;
  serial: string;
  state: string;
  [k: string]: unknown;
}

export async function findDevice(client: ServiceClient, serial: string): Promise<DeviceDto | undefined> {
  const r = await client.call<{ items: DeviceDto[] }>("GET", `/api/devices?serial=${encodeURIComponent(serial)}`);
  return r.items[0];
}

export interface EnrolOptions extends TokenTarget {
  client: ServiceClient;
  /** Initialise the token (C_InitToken) first: destroys everything on it. */
  init: boolean;
  soPin?: string;
  userPin: string;
  keyType: p11.KeyType;
  dossierId: string;
  subscriber: number;
  subject?: string;
  kind: "usb_token" | "hsm" | "sim";
  /** The CA whose chain goes onto the token, when the issuance answer does not name it. */
  caName?: string;
}

export interface EnrolResult {
  deviceId: string;
  deviceSerial: string;
  certificateSerial: string;
  keyId: string;
  chain: number;
}

const certParts = (der: Buffer) => {
  const c = AsnConvert.parse(der, Certificate);
  // CKA_SERIAL_NUMBER is the DER encoding of the INTEGER (short serials: length < 128)
  const serial = Buffer.from(c.tbsCertificate.serialNumber);
  return {
    subject: Buffer.from(AsnConvert.serialize(c.tbsCertificate.subject)),
    issuer: Buffer.from(AsnConvert.serialize(c.tbsCertificate.issuer)),
    serial: Buffer.concat([Buffer.from([0x02, serial.length]), serial]),
  };
};

/** Enrol: token ready → device registered → key pair on the token → CSR → certificate → onto the token. */
export async function enrol(o: EnrolOptions): Promise<EnrolResult> {
  // 1 the token: initialised (or taken as it is) with the user PIN set
  const token = p11.withModule(o.module, (m) => {
    let slot: graphene.Slot;
    if (o.init) {
      if (!o.soPin) throw new p11.StationError("Cần mã PIN quản trị (SO PIN) để khởi tạo token.");
      const existing = p11.listTokens(m).some((t) => t.initialized && t.label === o.label);
      slot = existing ? p11.slotByLabel(m, o.label) : p11.blankSlot(m);
      p11.initToken(slot, o.soPin, o.label);
      slot = p11.slotByLabel(m, o.label);
    } else {
      slot = p11.slotByLabel(m, o.label);
    }
    const info = p11.summarize(slot);
    if (!info.userPinInitialized || o.init) {
      if (!o.soPin) throw new p11.StationError("Mã PIN người dùng chưa được đặt; cần SO PIN để đặt.");
      const s = p11.openSession(slot);
      try {
        s.login(o.soPin, graphene.UserType.SO);
        s.initPin(o.userPin);
        s.logout();
      } finally {
        s.close();
      }
    }
    return p11.summarize(slot);
  });

  // 2 the device in the inventory, moved to initialized
  let device = await findDevice(o.client, token.serial);
  if (!device) {
    device = await o.client.call<DeviceDto>("POST", "/api/devices", {
      serial: token.serial, model: token.model || "PKCS#11 token", manufacturer: token.manufacturer || "?", tokenLabel: token.label, kind: o.kind,
    });
  }
  if (device.state === "in_stock") {
    device = await o.client.call<DeviceDto>("POST", `/api/devices/${device.id}/transition`, { to: "initialized", reason: "Khởi tạo token và đặt mã PIN tại trạm" });
  }
  if (device.state !== "initialized" && device.state !== "issued") {
    throw new p11.StationError(`Thiết bị ${device.serial} đang ở trạng thái "${device.state}"; không thể nạp khóa.`);
  }

  // 3 the key pair on the token and the CSR signed by it
  const keyId = p11.newKeyId();
  const keyLabel = `chungthu ${o.dossierId.slice(0, 8)}/${o.subscriber}`;
  const csr = p11.withModule(o.module, (m) => {
    const s = p11.openSession(p11.slotByLabel(m, o.label));
    try {
      s.login(o.userPin);
      const kp = p11.generateKeyPair(s, o.keyType, keyId, keyLabel);
      return buildCsr(s, kp.privateKey, p11.publicKeyInfo(kp.publicKey), o.subject ?? `CN=${token.serial}`);
    } finally {
      s.close();
    }
  });

  // 4 issuance by the service, and the chain
  const issued = await o.client.call<{ serial: string; pem: string; caName?: string; ca?: string; chainPem?: string }>(
    "POST", `/api/requests/${o.dossierId}/certificates`, { subscriber: o.subscriber, csr },
  );
  const caName = issued.caName ?? issued.ca ?? o.caName;
  const chainPem = issued.chainPem ?? (caName ? await o.client.text(`/ca/${encodeURIComponent(caName)}/chain.pem`) : "");
  const leaf = pemBlocks(issued.pem)[0];
  const chain = pemBlocks(chainPem).filter((c) => !c.equals(leaf));

  // 5 certificate and chain onto the token (same CKA_ID as the key for the subscriber's certificate)
  p11.withModule(o.module, (m) => {
    const s = p11.openSession(p11.slotByLabel(m, o.label));
    try {
      s.login(o.userPin);
      const l = certParts(leaf);
      p11.writeCertificate(s, leaf, keyId, keyLabel, l.subject, l.issuer, l.serial);
      for (const ca of chain) {
        const id = crypto.createHash("sha1").update(ca).digest();
        if (s.find({ class: graphene.ObjectClass.CERTIFICATE, id }).length) continue;
        const c = certParts(ca);
        p11.writeCertificate(s, ca, id, "CA", c.subject, c.issuer, c.serial);
      }
    } finally {
      s.close();
    }
  });

  // 6 device ↔ certificate
  await o.client.call("POST", `/api/devices/${device.id}/certificates`, { serial: issued.serial });
  return { deviceId: device.id, deviceSerial: token.serial, certificateSerial: issued.serial, keyId: keyId.toString("hex"), chain: chain.length };
}

export interface RecoverOptions extends TokenTarget {
  client: ServiceClient;
  dossierId: string;
  soPin: string;
  newPin: string;
  method: "unblock" | "reinitialize";
  notes?: string;
}

/**
 * Recover for an accepted Mẫu 06 dossier: the service checks first (dry run), then the token is
 * unblocked with the SO PIN (C_InitPIN) or re-initialised when the keys must be destroyed, then the
 * recovery record is made.
 */
export async function recover(o: RecoverOptions) {
  const serial = p11.withModule(o.module, (m) => p11.summarize(p11.slotByLabel(m, o.label)).serial);
  const device = await findDevice(o.client, serial);
  if (!device) throw new p11.StationError(`Thiết bị có số sê-ri "${serial}" không có trong danh mục.`);
  const check = await o.client.call<{ method: "unblock" | "reinitialize"; id?: string; status?: string }>("POST", `/api/devices/${device.id}/recover`, {
    dossierId: o.dossierId, method: o.method, dryRun: true,
  });
  // Dual control: re-initialisation waits for a second device officer's approval (202).
  if (check.status === "pending" && check.id) {
    throw new p11.StationError(`Khởi tạo lại thiết bị cần người thứ hai phê duyệt (yêu cầu ${check.id}); chưa thao tác trên token.`);
  }
  p11.withModule(o.module, (m) => {
    let slot = p11.slotByLabel(m, o.label);
    if (check.method === "reinitialize") {
      p11.initToken(slot, o.soPin, o.label);
      slot = p11.slotByLabel(m, o.label);
    }
    const s = p11.openSession(slot);
    try {
      s.login(o.soPin, graphene.UserType.SO);
      s.initPin(o.newPin); // C_InitPIN: sets the user PIN and clears its retry counter
      s.logout();
    } finally {
      s.close();
    }
  });
  return o.client.call("POST", `/api/devices/${device.id}/recover`, { dossierId: o.dossierId, method: check.method, notes: o.notes });
}

/** Tries the user PIN; a wrong one is reported to the service, which counts it and locks at the limit. */
export async function checkPin(o: TokenTarget & { pin: string; client?: ServiceClient }) {
  const r = p11.withModule(o.module, (m) => {
    const slot = p11.slotByLabel(m, o.label);
    const s = p11.openSession(slot);
    try {
      s.login(o.pin);
      s.logout();
      return { ok: true, tokenLocked: false, serial: p11.summarize(slot).serial };
    } catch (err) {
      if (p11.isPinIncorrect(err) || p11.isPinLocked(err)) return { ok: false, tokenLocked: p11.isPinLocked(err), serial: p11.summarize(slot).serial };
      throw err;
    } finally {
      s.close();
    }
  });
  let device: unknown;
  if (!r.ok && o.client) {
    const d = await findDevice(o.client, r.serial);
    if (d) device = await o.client.call("POST", `/api/devices/${d.id}/pin-failures`, { attempts: 1, tokenLocked: r.tokenLocked });
  }
  return { ...r, device };
}

/** Destroys every key and certificate on the token (after return, or on request). */
export async function destroyKeys(o: TokenTarget & { pin: string; client?: ServiceClient; reason?: string }) {
  const { destroyed, serial } = p11.withModule(o.module, (m) => {
    const slot = p11.slotByLabel(m, o.label);
    const s = p11.openSession(slot);
    try {
      s.login(o.pin);
      let n = 0;
      for (const cls of [graphene.ObjectClass.PRIVATE_KEY, graphene.ObjectClass.PUBLIC_KEY, graphene.ObjectClass.SECRET_KEY, graphene.ObjectClass.CERTIFICATE]) {
        n += s.destroy({ class: cls });
      }
      return { destroyed: n, serial: p11.summarize(slot).serial };
    } finally {
      s.close();
    }
  });
  let device: unknown;
  if (o.client) {
    const d = await findDevice(o.client, serial);
    if (d && d.state === "returned") {
      device = await o.client.call("POST", `/api/devices/${d.id}/transition`, { to: "in_stock", reason: o.reason ?? "Đã hủy khóa bí mật và chứng thư trên thiết bị" });
    }
  }
  return { serial, destroyed, device };
}
