// The seam between UI and IPC, with Tauri's IPC mocked: commands reach Rust under the right names
// with the right argument shape, and a core error comes back as a thrown `{ code, ... }`.
import { afterEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { backend } from "./backend";
import { errorText } from "../lib/errors";
import { setLocale } from "../i18n/index.svelte";

afterEach(() => clearMocks());

describe("backend", () => {
  it("sends list queries as members_list { input }", async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return { total: 1, offset: 0, members: [{ id: 7, display_name: "张伟" }] };
    });
    const page = await backend.listMembers({ search: "zw", limit: 200 });
    expect(page.total).toBe(1);
    expect(calls).toEqual([["members_list", { input: { search: "zw", limit: 200 } }]]);
  });

  it("wraps update arguments as { input: { id, draft } }", async () => {
    let seen: unknown;
    mockIPC((_cmd, args) => {
      seen = args;
      return {};
    });
    await backend.updateMember(3, { display_name: "李娜" });
    expect(seen).toEqual({ input: { id: 3, draft: { display_name: "李娜" } } });
  });

  it("throws the core's structured error, which reads well in both languages", async () => {
    const coreError = {
      code: "identity_taken",
      message: "phone +8613800138000 already belongs to 张伟 (#12)",
      field: "phone",
      params: { value: "+8613800138000", member_id: "12", member_name: "张伟" },
    };
    mockIPC(() => {
      throw coreError;
    });
    const err = await backend.createMember({ display_name: "王伟" }).catch((e) => e);
    expect(err).toEqual(coreError);
    setLocale("en");
    expect(errorText(err)).toBe("Phone “+8613800138000” already belongs to 张伟 (#12).");
    setLocale("zh-CN");
    expect(errorText(err)).toBe("手机号“+8613800138000”已属于成员 张伟（#12）。");
  });

  it("turns anything else into a generic, still translated, message", () => {
    setLocale("en");
    expect(errorText(new Error("boom"))).toBe("Something went wrong: boom");
  });
});
