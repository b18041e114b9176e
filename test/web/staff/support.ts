import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import type { TestService } from "../../support/service";
import { cliActor, type Role } from "../../../src/auth/actor";
import { createUser, setPassword } from "../../../src/auth/users";

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const screens = path.resolve("test-artifacts/screens");

/** Headless Chromium with a fresh profile (--user-data-dir) and the flags of the brief. */
export async function launchBrowser(): Promise<BrowserContext> {
  fs.mkdirSync(screens, { recursive: true });
  return chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), "chromium-staff-")), {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--lang=vi-VN"],
    locale: "vi-VN",
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
}

/**
 * A staff user with roles and a password, created as the CLI does on the CA host (actor "cli"):
 * over the API no administrator may set another person's password (enrolment is tested apart).
 */
export async function staffUser(svc: TestService, username: string, fullName: string, roles: Role[]): Promise<{ username: string; password: string }> {
  const user = await createUser(svc.services.db, cliActor, { username, fullName, roles });
  const password = `mat-khau-${username}-2026`;
  await setPassword(svc.services.db, cliActor, user.id, password);
  return { username, password };
}

export async function signIn(page: Page, base: string, user: { username: string; password: string }): Promise<void> {
  await page.goto(`${base}/dang-nhap`);
  await page.getByLabel("Tên đăng nhập").fill(user.username);
  await page.getByLabel("Mật khẩu").fill(user.password);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.waitForURL(/\/quan-tri/);
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await page.waitForURL(/\/dang-nhap/);
}

export const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screens, `${name}.png`), fullPage: true });

/** Signs in over plain HTTP: the session cookie and the page's CSRF token (for status-code tests). */
export async function httpSession(svc: TestService, user: { username: string; password: string }) {
  const login = await fetch(`${svc.url}/dang-nhap`);
  const loginCookie = login.headers.getSetCookie().find((c) => c.startsWith("ct_login_csrf="))!.split(";")[0];
  const loginCsrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())![1];
  const r = await fetch(`${svc.url}/dang-nhap`, {
    method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded", cookie: loginCookie },
    body: new URLSearchParams({ _csrf: loginCsrf, username: user.username, password: user.password }).toString(),
  });
  const cookie = r.headers.getSetCookie().find((c) => c.startsWith("ct_session="))!.split(";")[0];
  const home = await fetch(`${svc.url}/quan-tri`, { headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await home.text())![1];
  return {
    cookie, csrf,
    get: (p: string) => fetch(`${svc.url}${p}`, { headers: { cookie }, redirect: "manual" }),
    /** Posts a form; a list value is sent as repeated fields (name[]=a&name[]=b). */
    post: (p: string, form: Record<string, string | string[]>, withCsrf = true) => fetch(`${svc.url}${p}`, {
      method: "POST", redirect: "manual", headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(Object.entries({ ...(withCsrf ? { _csrf: csrf } : {}), ...form })
        .flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [`${k}[]`, x]) : [[k, v]]))).toString(),
    }),
  };
}
