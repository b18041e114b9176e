/**
 * A small multipart/form-data reader (RFC 7578) for the few public forms that upload a file.
 * The whole body is already in memory and bounded by the body limit, so it splits the buffer on
 * the boundary instead of streaming. Returns null on a body that is not well-formed.
 */
export interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

export function boundaryOf(contentType: string): string | null {
  const m = /boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : null;
}

export function parseMultipart(body: Buffer, contentType: string): FormPart[] | null {
  const boundary = boundaryOf(contentType);
  if (!boundary) return null;
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) return null;
  for (;;) {
    pos += delimiter.length;
    // "--" after the delimiter closes the body.
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts;
    if (body[pos] !== 0x0d || body[pos + 1] !== 0x0a) return null;
    pos += 2;
    const headerEnd = body.indexOf("\r\n\r\n", pos);
    if (headerEnd < 0) return null;
    const headers = body.subarray(pos, headerEnd).toString("utf8").split("\r\n");
    const next = body.indexOf(Buffer.concat([Buffer.from("\r\n"), delimiter]), headerEnd + 4);
    if (next < 0) return null;
    const part: FormPart = { name: "", data: body.subarray(headerEnd + 4, next) };
    for (const h of headers) {
      const [key, ...rest] = h.split(":");
      const value = rest.join(":").trim();
      if (/^content-disposition$/i.test(key.trim())) {
        const name = /(?:^|;)\s*name="([^"]*)"/i.exec(value);
        const filename = /(?:^|;)\s*filename="([^"]*)"/i.exec(value);
        if (name) part.name = name[1];
        if (filename) part.filename = filename[1];
      } else if (/^content-type$/i.test(key.trim())) {
        part.contentType = value;
      }
    }
    if (!part.name) return null;
    parts.push(part);
    pos = next + 2;
  }
}
