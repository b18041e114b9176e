import { expect } from "chai";
import { diffContent, changedFieldNames } from "../../../src/ra/dossiers/diff";

describe("dossier diff", () => {
  it("names changed scalars and nested fields with old and new values", () => {
    const c = diffContent(
      { channel: "post", agency: { name: "A", phone: "02438221234" }, note: "x" },
      { channel: "in_person", agency: { name: "A", phone: "02438221235" } },
    );
    expect(c).to.deep.equal([
      { field: "agency.phone", from: "02438221234", to: "02438221235" },
      { field: "channel", from: "post", to: "in_person" },
      { field: "note", from: "x", to: null },
    ]);
    expect(changedFieldNames(c)).to.deep.equal(["agency.phone", "channel", "note"]);
  });
  it("summarises lists without copying them", () => {
    const a = [{ fullName: "A", mobile: "1" }, { fullName: "B", mobile: "2" }];
    const b = [{ fullName: "A", mobile: "1" }, { fullName: "B", mobile: "3" }, { fullName: "C", mobile: "4" }];
    expect(diffContent({ subscribers: a }, { subscribers: b })).to.deep.equal([
      { field: "subscribers", list: { before: 2, after: 3, added: 1, removed: 0, changedRows: [2], changedFields: ["mobile"] } },
    ]);
  });
  it("finds nothing when nothing changed", () => {
    expect(diffContent({ a: [1], b: { c: 1 } }, { a: [1], b: { c: 1 } })).to.deep.equal([]);
  });
});
