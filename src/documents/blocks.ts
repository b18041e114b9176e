/**
 * The layout language between templates and the PDF engine: a document is a list of blocks, each
 * a Decree 30/2020/NĐ-CP element. Templates (templates/documents/*.json) produce blocks; the engine
 * (engine.ts) places them on A4 pages. Blocks carry finished text only, never wording decisions.
 */
export type Align = "left" | "center" | "right" | "justify";
export type PageLayout = "portrait" | "landscape";

/** The two-column header: agency with số/ký hiệu (and trích yếu of a công văn); quốc hiệu, tiêu ngữ, place and date. */
export interface HeaderBlock {
  type: "header";
  /** Cơ quan chủ quản (the parent body), upper case, regular. Optional. */
  parentAgency?: string;
  /** Cơ quan ban hành, upper case, bold, underlined. */
  agency: string;
  /** The whole "Số: …/…" line. */
  number: string;
  /** Trích yếu of a công văn ("V/v …"), under the number. */
  summary?: string;
  nationalTitle: string;
  motto: string;
  /** The whole "Hà Nội, ngày 05 tháng 3 năm 2026" line, set in italics. */
  placeDate: string;
}

/** The name of a document with a type (BIÊN BẢN, THÔNG BÁO, PHỤ LỤC) and its summary, centred. */
export interface TitleBlock {
  type: "title";
  /** A small line above the title ("Phụ lục"). */
  kicker?: string;
  text: string;
  summary?: string;
  /** An italic line under the summary ("(Kèm theo Văn bản số …)"). */
  note?: string;
}

/** "Kính gửi: …": one recipient on the label's line, several as a list. */
export interface RecipientBlock {
  type: "recipient";
  label: string;
  lines: string[];
}

export interface ParagraphBlock {
  type: "paragraph";
  text: string;
  align?: Align;
  /** First-line indent (Decree 30: 1 cm to 1.27 cm). Default true. */
  indent?: boolean;
  bold?: boolean;
  italic?: boolean;
  size?: number;
  /** No space after it: the next paragraph belongs with it. */
  tight?: boolean;
}

/** A bold section heading that stays with what follows it. */
export interface HeadingBlock {
  type: "heading";
  text: string;
  align?: Align;
}

/** "- Label: value", wrapped under the value. */
export interface FieldBlock {
  type: "field";
  label: string;
  value: string;
}

export interface TableColumn {
  header: string;
  /** Relative width. */
  width: number;
  align?: Align;
  /** Keep the text on one line by shrinking it (down to 6.5 pt) before wrapping: serials, numbers. */
  fit?: boolean;
}

/** A bordered table whose header row is repeated on every page it continues to. */
export interface TableBlock {
  type: "table";
  columns: TableColumn[];
  rows: string[][];
  /** Font size of the cells (default 12). */
  size?: number;
  /** A row under the header numbering the columns: (1), (2)… */
  numberColumns?: boolean;
}

export interface Signer {
  /** "TM. …", "KT. …" above the title, when the signer signs for a body. */
  authority?: string;
  title: string;
  /** "(Ký, ghi rõ họ tên, đóng dấu)". */
  note?: string;
  name?: string;
}

/** Nơi nhận at the bottom left, the signature at the bottom right; kept together on one page. */
export interface ClosingBlock {
  type: "closing";
  recipientsLabel?: string;
  recipients?: string[];
  signer: Signer;
}

/** Side-by-side signatures of a record's parties. */
export interface SignaturesBlock {
  type: "signatures";
  columns: Signer[];
}

export interface PageBreakBlock {
  type: "pageBreak";
  layout?: PageLayout;
}

export interface SpacerBlock {
  type: "spacer";
  height: number;
}

export type Block =
  | HeaderBlock
  | TitleBlock
  | RecipientBlock
  | ParagraphBlock
  | HeadingBlock
  | FieldBlock
  | TableBlock
  | ClosingBlock
  | SignaturesBlock
  | PageBreakBlock
  | SpacerBlock;

export interface DocumentSpec {
  info: { title: string; author?: string; subject?: string; keywords?: string };
  /** Written as the PDF's CreationDate and ModDate: the only time in the file. */
  createdAt: Date;
  blocks: Block[];
}
