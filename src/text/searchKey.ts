/**
 * The search form of a Vietnamese name: lower case, diacritics removed (đ → d), punctuation and
 * runs of spaces folded to one space. "Nguyễn Thị Hằng" → "nguyen thi hang". Stored in
 * certificates.public_search_text and applied to every query, so the lookup is a portable LIKE.
 */
export function searchKey(s: string | null | undefined): string {
  if (!s) return "";
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}@.\-]+/gu, " ")
    .trim()
    .replace(/\s+/g, " ");
}

/** public_search_text of a certificate: holder and agency, as they appear in the certificate. */
export const certificateSearchText = (cn: string | null | undefined, o: string | null | undefined): string =>
  `${searchKey(cn)} | ${searchKey(o)}`.slice(0, 500);
