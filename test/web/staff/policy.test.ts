import { expect } from "chai";
import { startTestService, type TestService } from "../../support/service";
import { sampleDossier } from "../../support/dossiers";
import { ROLES, type Role } from "../../../src/auth/actor";
import { can } from "../../../src/policy/policy";
import "../../../src/policy/rules";
import { httpSession, staffUser } from "./support";

/**
 * Every staff page goes through the API's policy: for each role, a page for an action the role may
 * not do answers 403 with the Vietnamese page (and changes nothing), and its button is absent.
 */
describe("staff web interface: the same policy as the API", function () {
  let svc: TestService;
  let dossierId: string;
  const sessions = {} as Record<Role, Awaited<ReturnType<typeof httpSession>>>;

  before(async () => {
    svc = await startTestService();
    for (const role of ROLES) sessions[role] = await httpSession(svc, await staffUser(svc, `u-${role.replace("_", "-")}`, `Người dùng ${role}`, [role]));
    const clerk = await svc.userWithRoles("api-clerk", ["clerk"]);
    const c = await svc.request("POST", "/api/requests", { token: clerk, json: sampleDossier("individual", 2) });
    dossierId = ((await c.json()) as { id: string }).id;
  });
  after(() => svc?.stop());

  const unknownUser = "00000000-0000-4000-8000-000000000000";
  const pages = (): { method: "get" | "post"; path: string; action: string; form?: Record<string, string> }[] => [
    { method: "get", path: "/quan-tri/ho-so", action: "dossier.list" },
    { method: "get", path: "/quan-tri/ho-so/moi/01", action: "dossier.create" },
    { method: "post", path: "/quan-tri/ho-so/moi/01", action: "dossier.create", form: { buoc: "luu" } },
    { method: "get", path: `/quan-tri/ho-so/${dossierId}/sua`, action: "dossier.edit" },
    { method: "post", path: `/quan-tri/ho-so/${dossierId}/kiem-duyet`, action: "dossier.review", form: { action: "start" } },
    { method: "get", path: `/quan-tri/ho-so/${dossierId}/yeu-cau-bo-sung`, action: "dossier.review" },
    { method: "get", path: `/quan-tri/ho-so/${dossierId}/cap-chung-thu`, action: "certificate.issue" },
    { method: "post", path: `/quan-tri/ho-so/${dossierId}/thuc-hien`, action: "certificate.renew" },
    { method: "get", path: `/quan-tri/ho-so/${dossierId}/van-ban.pdf`, action: "dossier.document" },
    { method: "get", path: "/quan-tri/chung-thu", action: "certificate.list" },
    { method: "post", path: "/quan-tri/chung-thu/7f00/thu-hoi", action: "certificate.revoke", form: { reason: "keyCompromise" } },
    { method: "get", path: "/quan-tri/thiet-bi", action: "device.read" },
    { method: "post", path: "/quan-tri/thiet-bi", action: "device.create", form: { serial: "" } },
    { method: "post", path: "/quan-tri/thiet-bi/nhap-csv", action: "device.import" },
    { method: "get", path: "/quan-tri/ban-giao/moi", action: "handover.create" },
    { method: "post", path: `/quan-tri/ho-so/${dossierId}/hen-ban-giao`, action: "handover.create", form: { handoverAt: "2026-12-01T09:30", place: "Hà Nội" } },
    { method: "get", path: "/quan-tri/nhat-ky", action: "audit.read" },
    { method: "get", path: "/quan-tri/lich-lam-viec", action: "calendar.read" },
    { method: "get", path: "/quan-tri/hang-doi", action: "outbox.list" },
    { method: "post", path: "/quan-tri/lich-lam-viec/2031", action: "calendar.edit", form: { daysOff: "2031-01-03 | Thử quyền" } },
    { method: "get", path: "/quan-tri/nguoi-dung", action: "user.list" },
    { method: "post", path: "/quan-tri/nguoi-dung", action: "user.create", form: { username: "" } },
    { method: "get", path: `/quan-tri/nguoi-dung/${unknownUser}`, action: "user.token" },
    { method: "post", path: `/quan-tri/nguoi-dung/${unknownUser}/vai-tro`, action: "user.roles" },
    { method: "post", path: `/quan-tri/nguoi-dung/${unknownUser}/gui-ma-kich-hoat`, action: "user.enrol" },
    { method: "post", path: `/quan-tri/nguoi-dung/${unknownUser}/khoa`, action: "user.activation" },
    { method: "post", path: `/quan-tri/nguoi-dung/${unknownUser}/ma-truy-cap/${unknownUser}/thu-hoi`, action: "user.token" },
    { method: "get", path: "/quan-tri/tai-khoan", action: "self.read" },
    { method: "post", path: "/quan-tri/tai-khoan/ma-truy-cap/x/thu-hoi", action: "self.token" },
  ];

  it("answers 403 with the Vietnamese page exactly where the policy says no, for every role", async () => {
    for (const role of ROLES) {
      const actor = { id: "x", username: "x", roles: [role] };
      for (const p of pages()) {
        const s = sessions[role];
        const r = p.method === "get" ? await s.get(p.path) : await s.post(p.path, p.form ?? {});
        const body = await r.text();
        if (can(actor, p.action)) {
          expect(r.status, `${role} ${p.method} ${p.path}`).to.not.equal(403);
        } else {
          expect(r.status, `${role} ${p.method} ${p.path}`).to.equal(403);
          expect(body, `${role} ${p.path}`).to.contain("Không có quyền truy cập").and.contain("<html lang=\"vi\">");
        }
      }
    }
    // Refused attempts changed nothing: the dossier is still a draft.
    const d = await svc.services.db("dossiers").where({ id: dossierId }).first("status");
    expect(d.status).to.equal("draft");
  });

  it("shows each role only the buttons and menu entries it may use", async () => {
    const html = async (role: Role) => (await (await sessions[role].get(`/quan-tri/ho-so/${dossierId}`)).text());
    const clerk = await html("clerk");
    expect(clerk).to.contain(">Tiếp nhận hồ sơ</button>").and.contain(">Sửa hồ sơ</a>").and.not.contain(">Bắt đầu kiểm duyệt</button>");
    for (const role of ["reviewer", "ca_operator", "device_officer", "auditor", "admin"] as Role[]) {
      const page = (await html(role)).replace(/<nav[\s\S]*?<\/nav>/, "");
      expect(page, role).to.not.contain(">Tiếp nhận hồ sơ</button>").and.not.contain(">Sửa hồ sơ</a>").and.not.contain(">Cấp chứng thư số</a>");
    }
    expect(await (await sessions.clerk.get("/quan-tri")).text()).to.not.contain("Nhật ký kiểm toán");
    expect(await (await sessions.auditor.get("/quan-tri")).text()).to.contain("Nhật ký kiểm toán");
    // A received dossier: the reviewer sees "start", the clerk does not.
    expect((await sessions.clerk.post(`/quan-tri/ho-so/${dossierId}/tiep-nhan`, {})).status).to.equal(303);
    expect(await html("reviewer")).to.contain(">Bắt đầu kiểm duyệt</button>");
    expect(await html("clerk")).to.not.contain(">Bắt đầu kiểm duyệt</button>").and.not.contain(">Tiếp nhận hồ sơ</button>");
  });

  it("refuses a form posted without the session's CSRF token, and sends a signed-out visitor to sign in", async () => {
    const r = await sessions.clerk.post(`/quan-tri/ho-so/${dossierId}/rut`, { reason: "thử" }, false);
    expect(r.status).to.equal(403);
    const anon = await fetch(`${svc.url}/quan-tri/ho-so/${dossierId}`, { redirect: "manual" });
    expect(anon.status).to.equal(302);
    expect(anon.headers.get("location")).to.match(/^\/dang-nhap\?tiep=/);
  });

  it("answers an unknown dossier or a malformed id with a 404 page, never a 500", async () => {
    for (const p of ["/quan-tri/ho-so/khong-co", "/quan-tri/ho-so/00000000-0000-4000-8000-000000000000", "/quan-tri/chung-thu/zz", "/quan-tri/thiet-bi/abc", "/quan-tri/ho-so/moi/09"]) {
      const r = await sessions[p.includes("/moi/") ? "clerk" : "admin"].get(p);
      expect(r.status, p).to.equal(404);
      expect(await r.text()).to.contain("Không tìm thấy");
    }
  });
});
