import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nextStop, precedes, tabStops } from "./focus";

const before = (a: number, b: number) => a < b;

describe("nextStop", () => {
  const stops = [10, 20, 30];

  it("moves to the next stop and cycles from the last to the first", () => {
    expect(nextStop(stops, 10, false, before)).toBe(20);
    expect(nextStop(stops, 30, false, before)).toBe(10);
  });

  it("moves back and cycles from the first to the last", () => {
    expect(nextStop(stops, 20, true, before)).toBe(10);
    expect(nextStop(stops, 10, true, before)).toBe(30);
  });

  it("from outside the stops, picks the neighbour in document order", () => {
    // 5 is the dialog itself (before every stop); 25 a radio button that is not its group's stop.
    expect(nextStop(stops, 5, false, before)).toBe(10);
    expect(nextStop(stops, 5, true, before)).toBe(30);
    expect(nextStop(stops, 25, false, before)).toBe(30);
    expect(nextStop(stops, 25, true, before)).toBe(20);
    expect(nextStop(stops, 35, false, before)).toBe(10);
    expect(nextStop(stops, null, true, before)).toBe(30);
  });

  it("has nowhere to go without stops", () => {
    expect(nextStop([], 1, false, before)).toBeUndefined();
  });
});

describe("tabStops", () => {
  // jsdom lays nothing out; every element counts as visible unless it says otherwise.
  const original = Element.prototype.getClientRects;
  beforeEach(() => {
    Element.prototype.getClientRects = function (this: Element) {
      return (this.closest("[data-invisible]") ? [] : [this.getBoundingClientRect()]) as unknown as DOMRectList;
    };
  });
  afterEach(() => {
    Element.prototype.getClientRects = original;
    document.body.innerHTML = "";
  });

  it("keeps document order, skips what Tab skips, and stops once per radio group", () => {
    document.body.innerHTML = `
      <div id="root" tabindex="-1">
        <button id="a">a</button>
        <button disabled>off</button>
        <input type="hidden" name="h" />
        <fieldset disabled><input id="in-disabled-set" /></fieldset>
        <input type="radio" name="size" id="s1" />
        <input type="radio" name="size" id="s2" checked />
        <input type="radio" name="kind" id="k1" />
        <input type="radio" name="kind" id="k2" />
        <div hidden><button>hidden</button></div>
        <div data-invisible><button>not drawn</button></div>
        <span tabindex="-1" id="minus">script only</span>
        <a id="link" href="#x">link</a>
        <a>no href</a>
        <textarea id="t"></textarea>
      </div>`;
    const ids = tabStops(document.getElementById("root")!).map((el) => el.id);
    expect(ids).toEqual(["a", "s2", "k1", "link", "t"]);
  });

  it("knows document order, the container before its children", () => {
    document.body.innerHTML = `<div id="root"><button id="a"></button><button id="b"></button></div>`;
    const [root, a, b] = ["root", "a", "b"].map((id) => document.getElementById(id)!);
    expect(precedes(a, b)).toBe(true);
    expect(precedes(b, a)).toBe(false);
    expect(precedes(root, a)).toBe(true);
    expect(precedes(a, root)).toBe(false);
  });
});
