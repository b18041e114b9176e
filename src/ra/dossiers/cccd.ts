/**
 * The structure of a 12-digit citizen identity number (số định danh cá nhân / CCCD), as
 * Thông tư 07/2016/TT-BCA (Điều 7) and Nghị định 137/2015/NĐ-CP lay it out:
 *   digits 1–3  code of the province where the birth was registered (001 Hà Nội … 096 Cà Mau);
 *   digit  4    century of birth and sex: 0/1 → 1900–1999 (male/female), 2/3 → 2000–2099,
 *               4/5 → 2100–2199, 6/7 → 2200–2299, 8/9 → 1800–1899;
 *   digits 5–6  the last two digits of the year of birth;
 *   digits 7–12 a random number.
 * The procedure's form carries the date of birth next to the number, so a mismatch is a typo in
 * one of them. The review shows it as a finding: the reviewer decides, nothing is refused here.
 * (The province code is validated with the dossier: src/ra/dossiers/fields.ts idNumberProblem.)
 */

const CENTURY_OF_DIGIT = [1900, 1900, 2000, 2000, 2100, 2100, 2200, 2200, 1800, 1800];

/** The birth year a 12-digit number encodes, or undefined when it is not 12 digits. */
export function birthYearOf(idNumber: string): number | undefined {
  if (!/^\d{12}$/.test(idNumber)) return undefined;
  return CENTURY_OF_DIGIT[Number(idNumber[3])] + Number(idNumber.slice(4, 6));
}

export interface BirthYearMismatch { encoded: number; declared: number }

/** The birth years, when a CCCD number and the date of birth beside it disagree. */
export function birthYearMismatch(idNumber: string, dateOfBirth: string | undefined): BirthYearMismatch | undefined {
  if (!/^\d{12}$/.test(idNumber)) return undefined;
  const declared = dateOfBirth && /^\d{4}-/.test(dateOfBirth) ? Number(dateOfBirth.slice(0, 4)) : undefined;
  const encoded = birthYearOf(idNumber)!;
  return declared !== undefined && declared !== encoded ? { encoded, declared } : undefined;
}
