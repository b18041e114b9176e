import { expect } from "chai";
import { DOSSIER_STATUSES } from "../../../src/ra/dossiers/schema";
import { checkTransition, statusAfterEdit, TRANSITIONS, type ReviewAction } from "../../../src/ra/review/transitions";
import { DomainError } from "../../../src/errors";
import { dossierStatusNames } from "../../../src/messages/dossiers";

const inputs = { deficiencies: [{}], reason: "lý do" };

describe("review transitions", () => {
  it("allows exactly the transitions of the table and answers every other pair with a 409 naming both states", () => {
    for (const t of TRANSITIONS) {
      for (const from of DOSSIER_STATUSES) {
        const allowed = (t.from as readonly string[]).includes(from);
        try {
          const r = checkTransition(t.action as ReviewAction, from, inputs);
          expect(allowed, `${t.action} from ${from}`).to.equal(true);
          expect(r.to).to.equal(t.to);
        } catch (e) {
          expect(allowed, `${t.action} from ${from}`).to.equal(false);
          const err = e as DomainError;
          expect(err.code).to.equal("invalid_transition");
          expect(err.kind).to.equal("conflict");
          expect(err.message).to.include(`"${dossierStatusNames[from]}"`);
          expect(err.message).to.include(`"${dossierStatusNames[t.to]}"`);
        }
      }
    }
  });

  it("requires at least one deficiency to request correction, and a reason to reject", () => {
    expect(() => checkTransition("request_correction", "under_review", {})).to.throw(DomainError).with.property("code", "deficiencies_required");
    expect(() => checkTransition("request_correction", "under_review", { deficiencies: [] })).to.throw(DomainError);
    expect(() => checkTransition("reject", "under_review", { reason: "  " })).to.throw(DomainError).with.property("code", "reason_required");
  });

  it("follows the procedure: submit → received → under_review → accepted, correction loops back through corrected", () => {
    expect(checkTransition("submit", "draft").to).to.equal("received");
    expect(checkTransition("start", "received").to).to.equal("under_review");
    expect(checkTransition("request_correction", "under_review", inputs).to).to.equal("needs_correction");
    expect(statusAfterEdit("needs_correction")).to.equal("corrected");
    expect(statusAfterEdit("draft")).to.equal("draft");
    expect(checkTransition("submit", "corrected").to).to.equal("received");
    expect(checkTransition("accept", "under_review").to).to.equal("accepted");
  });

  it("starts the clock only on submit and resets it only on a request for correction", () => {
    const clock = Object.fromEntries(TRANSITIONS.map((t) => [t.action, t.clock]));
    expect(clock).to.deep.equal({ submit: "start", correct: "keep", start: "keep", request_correction: "reset", accept: "keep", reject: "keep", withdraw: "keep" });
  });
});
