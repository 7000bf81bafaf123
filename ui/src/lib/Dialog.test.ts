// The dialog mounted for real (jsdom): its roles, where focus starts, Tab cycling, Escape, the
// backdrop, and focus going back to the opener.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createRawSnippet, flushSync, mount, unmount } from "svelte";
import Dialog from "./Dialog.svelte";

const body = createRawSnippet(() => ({
  render: () => `<div><input id="first" data-autofocus /><button id="middle">m</button></div>`,
}));
const footer = createRawSnippet(() => ({ render: () => `<button id="last">ok</button>` }));

let opener: HTMLButtonElement;
const original = Element.prototype.getClientRects;

beforeEach(() => {
  // jsdom draws nothing; count every element as visible.
  Element.prototype.getClientRects = function (this: Element) {
    return [this.getBoundingClientRect()] as unknown as DOMRectList;
  };
  opener = document.createElement("button");
  document.body.append(opener);
  opener.focus();
});

afterEach(() => {
  Element.prototype.getClientRects = original;
  document.body.innerHTML = "";
});

function open(props: Partial<{ closable: boolean; onClose: () => void }> = {}) {
  const onClose = props.onClose ?? vi.fn();
  const target = document.createElement("div");
  document.body.append(target);
  const dialog = mount(Dialog, { target, props: { title: "Tags", onClose, children: body, footer, ...props } });
  flushSync();
  return { dialog, onClose, box: target.querySelector<HTMLElement>("[role=dialog]")! };
}

const key = (el: Element, k: string, shift = false) =>
  el.dispatchEvent(new KeyboardEvent("keydown", { key: k, shiftKey: shift, bubbles: true, cancelable: true }));
const focused = () => document.activeElement?.id || document.activeElement?.getAttribute("aria-label");

describe("Dialog", () => {
  it("is a modal dialog named by its title, focused on [data-autofocus]", () => {
    const { dialog, box } = open();
    expect(box.getAttribute("aria-modal")).toBe("true");
    expect(document.getElementById(box.getAttribute("aria-labelledby")!)?.textContent).toBe("Tags");
    expect(focused()).toBe("first");
    unmount(dialog);
  });

  it("cycles Tab and Shift+Tab inside, the close button included", () => {
    const { dialog } = open();
    const tab = (shift = false) => key(document.activeElement!, "Tab", shift);
    tab();
    expect(focused()).toBe("middle");
    tab();
    expect(focused()).toBe("last");
    tab();
    expect(focused()).toBe("Close");
    tab();
    expect(focused()).toBe("first");
    tab(true);
    expect(focused()).toBe("Close");
    tab(true);
    expect(focused()).toBe("last");
    unmount(dialog);
  });

  it("closes on Escape and on the backdrop, unless it may not", () => {
    const { dialog, onClose, box } = open();
    key(document.activeElement!, "Escape");
    (box.previousElementSibling as HTMLElement).click();
    expect(onClose).toHaveBeenCalledTimes(2);
    unmount(dialog);

    const busy = open({ closable: false });
    key(document.activeElement!, "Escape");
    (busy.box.previousElementSibling as HTMLElement).click();
    expect(busy.onClose).not.toHaveBeenCalled();
    unmount(busy.dialog);
  });

  it("still hears Escape after the focused element went away", () => {
    const { dialog, onClose } = open();
    document.getElementById("first")!.remove();
    expect(document.activeElement).toBe(document.body);
    key(document.body, "Escape");
    expect(onClose).toHaveBeenCalledTimes(1);
    unmount(dialog);
  });

  it("gives focus back to the opener when it closes", () => {
    const { dialog } = open();
    expect(document.activeElement).not.toBe(opener);
    unmount(dialog);
    flushSync();
    expect(document.activeElement).toBe(opener);
  });
});
