/**
 * The life of a key-storage device as an explicit allowed-transition table (the idea of Dogtag
 * TPS's token state machine: every edge is listed; anything not listed is refused with 409).
 *
 *   in_stock ──► initialized ──► issued ──► handed_over ──► locked ──► recovered ──► handed_over
 *       ▲            │             │            │              │           │
 *       │            ▼             ▼            ▼              ▼           ▼
 *       └──────── in_stock     in_stock      returned ◄──── returned ◄─ returned
 *   (keys destroyed)                            │
 *                                  returned ──► in_stock (keys destroyed, reusable) | retired
 *   lost ──► returned (found) | retired;  damaged ──► returned | retired;  retired: final.
 *
 * - initialized: the token was initialised (or taken as it is) at the station, user PIN set.
 * - issued: a key pair generated on it and at least one certificate written onto it.
 * - handed_over: given to the subscriber with a handover record (Mẫu 07).
 * - locked: the holder reports too many wrong PINs (our record: SoftHSM2 does not lock).
 * - recovered: unblocked (or re-initialised) by the provider for an accepted Mẫu 06 dossier;
 *   handed back to the holder → handed_over.
 * - returned (thu hồi): back at the provider after revocation/expiry; keys destroyed on request.
 * - lost / damaged: reported; the certificates on it are the revocation helper's business.
 * - retired: out of service for good.
 */
export const DEVICE_STATES = [
  "in_stock", "initialized", "issued", "handed_over", "locked", "recovered", "returned", "lost", "damaged", "retired",
] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

export const DEVICE_KINDS = ["usb_token", "hsm", "sim"] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export const ALLOWED_TRANSITIONS: Readonly<Record<DeviceState, readonly DeviceState[]>> = {
  in_stock: ["initialized", "lost", "damaged", "retired"],
  initialized: ["issued", "in_stock", "lost", "damaged", "retired"],
  issued: ["handed_over", "in_stock", "returned", "lost", "damaged"],
  handed_over: ["locked", "returned", "lost", "damaged"],
  locked: ["recovered", "returned", "lost", "damaged"],
  recovered: ["handed_over", "locked", "returned", "lost", "damaged"],
  returned: ["in_stock", "damaged", "retired"],
  lost: ["returned", "retired"],
  damaged: ["returned", "retired"],
  retired: [],
};

export const canTransition = (from: DeviceState, to: DeviceState) => ALLOWED_TRANSITIONS[from].includes(to);

/** States in which the device is with its holder (the return deadline applies). */
export const WITH_HOLDER: readonly DeviceState[] = ["handed_over", "locked", "recovered"];

/** Vietnamese names of the states, for messages and documents. */
export const STATE_LABELS: Record<DeviceState, string> = {
  in_stock: "trong kho",
  initialized: "đã khởi tạo",
  issued: "đã nạp chứng thư",
  handed_over: "đã bàn giao",
  locked: "bị khóa",
  recovered: "đã khôi phục",
  returned: "đã thu hồi",
  lost: "bị mất",
  damaged: "bị hỏng",
  retired: "ngừng sử dụng",
};

export const KIND_LABELS: Record<DeviceKind, string> = {
  usb_token: "USB token",
  hsm: "HSM",
  sim: "SIM PKI",
};

/**
 * Targets an officer may choose directly (POST /api/devices/:id/transition). The others have their
 * own command, which checks what the state means: issued (a certificate registered on it),
 * handed_over (a handover record), locked (lock / wrong PINs), recovered (an accepted Mẫu 06 dossier).
 */
export const MANUAL_TARGETS: readonly DeviceState[] = ["in_stock", "initialized", "returned", "lost", "damaged", "retired"];
