import type { Knex } from "knex";
import { insertMany } from "./db";

/**
 * The word index of the public name search (migration 20261125050400): the words of
 * certificates.public_search_text (already lower case and unaccented, src/text/searchKey.ts), each
 * distinct word once in public_search_words and every (word, certificate) in public_search_tokens.
 * A query word matches a certificate exactly when it occurs inside one of its words (a query word
 * has no spaces, so it never spans two), which is what `public_search_text like %word%` meant: the
 * results are the same, found through the words instead of a scan of every certificate.
 */
export function searchWords(text: string | null | undefined): string[] {
  if (!text) return [];
  return [...new Set(text.split(" ").filter((w) => w !== "" && w !== "|"))];
}

/**
 * Writes the words of these rows (in the transaction that writes the rows, or later for many at
 * once: a batch of certificates at its end). Idempotent.
 */
export async function indexSearchText(db: Knex, rows: { serial: string; public_search_text?: string | null }[]): Promise<void> {
  const pairs: { word: string; serial: string }[] = [];
  const words = new Set<string>();
  for (const r of rows) {
    for (const word of searchWords(r.public_search_text)) {
      pairs.push({ word, serial: r.serial });
      words.add(word);
    }
  }
  if (pairs.length === 0) return;
  // In key order: each page of the (word, serial) index is then written once per call, not once
  // per pair scattered over it.
  pairs.sort((a, b) => (a.word < b.word ? -1 : a.word > b.word ? 1 : a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0));
  await insertMany(db, "public_search_words", [...words].map((word) => ({ word })), { ignoreConflicts: ["word"] });
  await insertMany(db, "public_search_tokens", pairs, { ignoreConflicts: ["word", "serial"] });
}

/**
 * Indexes rows that have public_search_text but no words yet (rows from before the index, or
 * written by something that did not index them). Run at start-up; keyset pages by serial, so a
 * text with no words at all is looked at once per run, not for ever.
 */
export async function backfillSearchIndex(db: Knex, batch = 1000): Promise<number> {
  let total = 0;
  let after = "";
  for (;;) {
    const rows: { serial: string; public_search_text: string }[] = await db("certificates as c")
      .select("c.serial", "c.public_search_text")
      .whereNotNull("c.public_search_text")
      .where("c.serial", ">", after)
      .whereNotExists(db("public_search_tokens as t").select(db.raw("1")).whereRaw("t.serial = c.serial"))
      .orderBy("c.serial")
      .limit(batch);
    if (rows.length === 0) return total;
    await db.transaction((trx) => indexSearchText(trx, rows));
    total += rows.length;
    after = rows[rows.length - 1].serial;
    if (rows.length < batch) return total;
  }
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The serials whose words contain `word` (a subquery). */
export const serialsWithWord = (db: Knex, word: string) =>
  db("public_search_tokens")
    .select("serial")
    .whereIn("word", db("public_search_words").select("word").whereRaw("word like ? escape '\\'", [`%${escapeLike(word)}%`]));
