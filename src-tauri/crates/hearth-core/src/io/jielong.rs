//! Reading a pasted WeChat 接龙 (chain sign-up) into registrations.
//!
//! A 接龙 is free text: a few header lines (`#接龙`, the event, an example line starting with
//! `例`), then one numbered line per person, then whatever people typed after the list. This
//! module owns turning that text into [`JielongParse`]: the header, the example, one
//! [`JielongEntry`] per person (name, note, phone or phone tail, companions) and the lines it
//! could not turn into a person, each with its line number and a [`JielongReason`].
//!
//! It deliberately does not: touch the database, match entries to existing members, normalise
//! phones to E.164 (phones are returned as the 11 digits written) or decide who is admitted.
//! Those are the caller's job, with this result in hand.
//!
//! **Nothing is dropped silently.** Every non-blank line of the input ends up in exactly one of
//! `title`, `example`, `entries`, `problems` or `trailing` (a line that continues the entry above
//! it, like an indented note or a lone `+1`, is merged into that entry). Lines are returned
//! cleaned: zero-width characters removed, non-breaking and full-width spaces turned into plain
//! spaces, full-width digits and Latin letters turned into ASCII.
//!
//! How lines are placed:
//! - **Header**: every line before the first numbered line. A line starting with `例`, `示例`,
//!   `格式`, `e.g.`, `example` or `format` is the example (the first one; later ones are title).
//!   When the example line comes after numbered lines (numbered rules such as `1、准时到场` in
//!   the announcement), everything up to the example is header and the list starts after it.
//! - **Numbered lines**: `1.` `1、` `1)` `1）` `(1)` `（1）` `【1】` `1:` `①`…`㊿` `⑴` `⒈`,
//!   full-width digits; at the start of a line also `1，` `1-` and `1 张伟` (a number and a
//!   space, unless a unit follows: `30 人`), and inside the list `8张伟` when 8 is the next
//!   number. Numbers have at most three digits (`2024 年会` is not an entry). Several entries
//!   may share a line (`1. 张伟 2. 李娜`) when the numbers follow on. Text before `1.` on the
//!   first numbered line is header.
//! - **Continuations**: an unnumbered line right below an entry (no blank line between) that is
//!   indented further, starts with `-` `/` `,` `(` `+`…, or holds only a phone, a tail or
//!   companions, is merged into that entry, unless it reads like a sentence (see below).
//! - **Unnumbered lines inside the list** (between the first and the last numbered line) are
//!   problems ([`JielongReason::Unnumbered`]).
//! - **After the last numbered line**: a line that looks like a name (short, no sentence
//!   punctuation, no date or time, none of the words announcements use such as 截止 报名 谢谢
//!   请 地点 时间 deadline thanks) is a problem (someone who forgot the number); the first line
//!   that reads like a sentence starts the trailing text, and everything after it is trailing
//!   too (a signature such as `王强` under `谢谢大家` is not a sign-up).
//!
//! Entries:
//! - A number already used by an earlier entry, or a name already signed up (ignoring case and
//!   spaces) with the same phone tail or none, makes the later line a problem, not an entry;
//!   namesakes with different phones or tails are two people. A name wins over a number:
//!   [`JielongReason::DuplicateName`] is reported when both repeat. Numbers out of order or
//!   skipped are fine; entries keep the number as written.
//! - Companions: `+2`, `带1人`, `带朋友1位`, `带两个孩子`, `带娃` (one), `with 2 friends`,
//!   `plus one`, `2 guests` count extra people; `2人`, `共3人`, `x2`, `×2`, `2 people` count the
//!   whole party, so they bring one less. When several forms appear the largest count wins.
//! - Phone: an 11-digit mainland mobile anywhere on the line (`13912345678`, `139 1234 5678`,
//!   `139-1234-5678`, with or without `+86` and a `手机：` label). Tail: `尾号1234`, `后四位1234`;
//!   when the example line asks for 尾号, a lone 4-digit group is the tail too.
//! - Name: the first word. Latin names run over following capitalised words (`Tom Smith`,
//!   `Mary-Jane O'Neil`, up to four); a lowercase word ends them (`Dan Brown from Acme`).
//!   Chinese names run to the first space or separator (`-` `—` `/` `,` `，` `、` `(` `（`…);
//!   `王 芳` written with a space is joined. Surrounding brackets and quotes are removed.
//!   The rest of the line, minus phone and companions, is the note.

use std::collections::HashSet;

use serde::Serialize;

/// One person in the chain.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct JielongEntry {
    /// 1-based line of the pasted text.
    pub line: u32,
    /// The number written in the chain.
    pub seq: u32,
    /// The person's name: cleaned, trimmed, without companions or phone.
    pub name: String,
    /// The rest (organisation etc.), may be "".
    pub note: String,
    /// 11-digit mainland mobile if present (digits only), else `None`.
    pub phone: Option<String>,
    /// Last four digits: written as a tail (`尾号1234`) or taken from `phone`.
    pub phone_tail: Option<String>,
    /// Extra people they bring.
    pub companions: u32,
}

/// A line (or a numbered item of a line) that did not become an entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct JielongProblem {
    pub line: u32,
    /// The item as written (cleaned), e.g. `6.` or `4. 赵磊`.
    pub text: String,
    pub reason: JielongReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum JielongReason {
    /// A number with no name after it (`6. `, `6. +1`).
    NoName,
    /// A line inside the list, or a name-like line right after it, with no number.
    Unnumbered,
    /// The number was already used by an earlier entry.
    DuplicateNumber,
    /// Never produced by [`parse`]: numbers that jump back or skip are entries with their
    /// written number. Kept so code written against the first draft of this API compiles.
    OutOfSequence,
    /// The same name already signed up earlier in the chain.
    DuplicateName,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct JielongParse {
    /// Header lines in order, without the example line.
    pub title: Vec<String>,
    pub example: Option<String>,
    pub entries: Vec<JielongEntry>,
    pub problems: Vec<JielongProblem>,
    /// Lines after the list that are plainly not entries.
    pub trailing: Vec<String>,
}

/// Parses a pasted 接龙. Never fails: what it cannot read is listed in `problems` or `trailing`.
pub fn parse(text: &str) -> JielongParse {
    parse_traced(text).0
}

/// Where a non-blank line went; used by the tests to check that no line is lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placement {
    Title,
    Example,
    /// Entries and/or problems of a numbered line (and any header text before its first number).
    Numbered,
    /// Merged into the entry above.
    Continuation,
    Unnumbered,
    Trailing,
}

struct Line {
    no: u32,
    text: String,
    chars: Vec<char>,
    indent: usize,
}

fn parse_traced(text: &str) -> (JielongParse, Vec<(u32, Placement)>) {
    let lines = split_lines(text);
    let example_at = lines.iter().position(|l| is_example(&l.text));
    let tail_hint = example_at.is_some_and(|i| asks_for_tail(&lines[i].text));

    // Numbered rules in the announcement come before the example line: when numbered lines
    // follow the example, the list starts after it.
    let mut numbered = find_numbered(&lines, example_at.map_or(0, |i| i + 1));
    if example_at.is_some() && numbered.iter().all(Option::is_none) {
        numbered = find_numbered(&lines, 0);
    }
    let first = numbered.iter().position(Option::is_some);
    let last = numbered.iter().rposition(Option::is_some);

    let mut out = JielongParse::default();
    let mut trace = Vec::new();
    let mut names: HashSet<String> = HashSet::new();
    let mut seqs: HashSet<u32> = HashSet::new();
    // The entry a continuation line would extend, and the indent of its line.
    let mut target: Option<(usize, usize)> = None;
    let mut trailing_started = false;

    for (idx, line) in lines.iter().enumerate() {
        if line.text.is_empty() {
            target = None;
            continue;
        }
        let header = first.is_none_or(|f| idx < f);
        if header {
            if is_example(&line.text) && out.example.is_none() {
                out.example = Some(line.text.clone());
                trace.push((line.no, Placement::Example));
            } else {
                out.title.push(line.text.clone());
                trace.push((line.no, Placement::Title));
            }
            continue;
        }
        if let Some(markers) = &numbered[idx] {
            target = None;
            if markers[0].start > 0 {
                let prefix: String = line.chars[..markers[0].start].iter().collect();
                header_prefix(prefix.trim(), &mut out);
            }
            for (k, m) in markers.iter().enumerate() {
                let stop = markers.get(k + 1).map_or(line.chars.len(), |n| n.start);
                let item = collect_trim(&line.chars[m.start..stop]);
                let info = extract_info(&line.chars[m.end..stop], tail_hint);
                let (name, note) = split_name(&info.rest);
                let problem = |reason| JielongProblem {
                    line: line.no,
                    text: item.clone(),
                    reason,
                };
                if name.is_empty() {
                    out.problems.push(problem(JielongReason::NoName));
                    continue;
                }
                // Two people may share a name: a different phone or tail tells them apart.
                let tail = info
                    .phone
                    .as_deref()
                    .map(|p| p[p.len() - 4..].to_string())
                    .or_else(|| info.tail.clone())
                    .unwrap_or_default();
                let key = format!("{}|{tail}", name_key(&name));
                if names.contains(&key) {
                    out.problems.push(problem(JielongReason::DuplicateName));
                    continue;
                }
                if seqs.contains(&m.seq) {
                    out.problems.push(problem(JielongReason::DuplicateNumber));
                    continue;
                }
                names.insert(key);
                seqs.insert(m.seq);
                let phone_tail = match &info.phone {
                    Some(p) => Some(p[p.len() - 4..].to_string()),
                    None => info.tail.clone(),
                };
                out.entries.push(JielongEntry {
                    line: line.no,
                    seq: m.seq,
                    name,
                    note,
                    phone: info.phone,
                    phone_tail,
                    companions: info.companions,
                });
                if k + 1 == markers.len() {
                    target = Some((out.entries.len() - 1, line.indent));
                }
            }
            trace.push((line.no, Placement::Numbered));
            continue;
        }

        // An unnumbered line after the list started.
        if let Some((at, indent)) = target {
            if let Some(info) = continuation(line, indent, tail_hint) {
                merge(&mut out.entries[at], info);
                trace.push((line.no, Placement::Continuation));
                continue;
            }
        }
        target = None;
        let inside = last.is_some_and(|l| idx < l);
        if inside || (!trailing_started && !reads_like_sentence(&line.text)) {
            out.problems.push(JielongProblem {
                line: line.no,
                text: line.text.clone(),
                reason: JielongReason::Unnumbered,
            });
            trace.push((line.no, Placement::Unnumbered));
        } else {
            trailing_started = true;
            out.trailing.push(line.text.clone());
            trace.push((line.no, Placement::Trailing));
        }
    }
    (out, trace)
}

/// Header text written on the same line as the first entries: `#接龙 读书会 例 张三 1. 张伟`.
fn header_prefix(prefix: &str, out: &mut JielongParse) {
    if prefix.is_empty() {
        return;
    }
    if out.example.is_none() {
        let at = if is_example(prefix) {
            Some(0)
        } else {
            prefix.find(" 例").map(|i| i + 1)
        };
        if let Some(at) = at {
            let (head, example) = prefix.split_at(at);
            if !head.trim().is_empty() {
                out.title.push(head.trim().to_string());
            }
            out.example = Some(example.trim().to_string());
            return;
        }
    }
    out.title.push(prefix.to_string());
}

// ---------------------------------------------------------------------------------------------
// Lines

fn split_lines(text: &str) -> Vec<Line> {
    let unified = text
        .replace("\r\n", "\n")
        .replace(['\r', '\u{2028}', '\u{2029}', '\u{85}'], "\n");
    unified
        .split('\n')
        .enumerate()
        .map(|(i, raw)| {
            let folded: String = raw.chars().filter_map(fold_char).collect();
            let indent = folded.chars().take_while(|c| *c == ' ').count();
            let text = folded
                .split(' ')
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            Line {
                no: i as u32 + 1,
                chars: text.chars().collect(),
                text,
                indent,
            }
        })
        .collect()
}

/// Drops zero-width characters, turns every kind of space into ' ', and full-width digits,
/// Latin letters and the few symbols that carry structure (`＋` `．` `＃` `－` `／` `＠`) into
/// ASCII. Chinese punctuation (`，` `（` `）` `：`) is kept as written.
fn fold_char(c: char) -> Option<char> {
    match c {
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => None,
        '\t'
        | '\u{A0}'
        | '\u{1680}'
        | '\u{2000}'..='\u{200A}'
        | '\u{202F}'
        | '\u{205F}'
        | '\u{3000}' => Some(' '),
        c if c.is_control() => Some(' '),
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '＋' | '．' | '＃' | '－' | '／' | '＠' => {
            char::from_u32(c as u32 - 0xFEE0)
        }
        c => Some(c),
    }
}

fn collect_trim(chars: &[char]) -> String {
    chars.iter().collect::<String>().trim().to_string()
}

fn is_example(text: &str) -> bool {
    let lower = text.to_lowercase();
    let latin = ["e.g.", "eg:", "eg ", "example", "format"].iter().any(|p| {
        lower.starts_with(p)
            && !lower[p.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
    });
    latin || ["例", "示例", "格式"].iter().any(|p| text.starts_with(p))
}

fn asks_for_tail(example: &str) -> bool {
    ["尾号", "后四位", "后4位", "尾数"]
        .iter()
        .any(|w| example.contains(w))
}

// ---------------------------------------------------------------------------------------------
// Numbers

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `①` `⑴` `⒈`
    Circled,
    /// `(1)` `（1）` `[1]` `【1】`
    Bracketed,
    /// `1.` `1、` `1)` `1）` `1:`
    Delimited,
    /// `1,` `1，` `1-`: only at the start of a line.
    Loose,
    /// `1 张伟`: only at the start of a line.
    Plain,
    /// `1张伟`: only at the start of a line inside the list, for the next number.
    Glued,
}

#[derive(Debug, Clone, Copy)]
struct Marker {
    start: usize,
    /// Where the item's text begins.
    end: usize,
    seq: u32,
    form: Form,
}

fn find_numbered(lines: &[Line], from: usize) -> Vec<Option<Vec<Marker>>> {
    let mut started = false;
    let mut last_seq: Option<u32> = None;
    lines
        .iter()
        .enumerate()
        .map(|(idx, line)| {
            if idx < from || line.chars.is_empty() || is_example(&line.text) {
                return None;
            }
            let markers = find_markers(&line.chars, started, last_seq);
            let last = markers.last()?;
            started = true;
            last_seq = Some(last.seq);
            Some(markers)
        })
        .collect()
}

fn find_markers(c: &[char], started: bool, last_seq: Option<u32>) -> Vec<Marker> {
    let mut out: Vec<Marker> = Vec::new();
    if let Some(m) = marker_at(c, 0) {
        let ok = match m.form {
            Form::Circled | Form::Bracketed | Form::Delimited | Form::Loose => true,
            Form::Plain => match c.get(m.end + 1) {
                None => started,
                Some(next) => !is_unit(*next) && (started || m.seq == 1),
            },
            Form::Glued => {
                started
                    && last_seq.is_some_and(|s| m.seq == s + 1)
                    && !c.get(m.end).copied().is_some_and(is_unit)
            }
        };
        if ok {
            out.push(m);
        }
    }
    if out.is_empty() && !started {
        // Header text, then the chain on the same line: `#接龙 读书会 1. 张伟 2. 李娜`.
        let first = (1..c.len()).find_map(|i| {
            let m = marker_at(c, i).filter(|_| c[i - 1] == ' ')?;
            let inline = matches!(m.form, Form::Circled | Form::Bracketed | Form::Delimited);
            (inline && m.seq == 1).then_some(m)
        });
        out.extend(first);
    }
    let Some(first) = out.first() else {
        return out;
    };
    let mut i = first.end;
    while i < c.len() {
        let prev = out[out.len() - 1].seq;
        if let Some(m) = marker_at(c, i) {
            let inline = matches!(m.form, Form::Circled | Form::Bracketed | Form::Delimited);
            let before = c[i - 1];
            let spaced = before == ' ' && (m.seq == prev + 1 || m.seq == prev);
            let glued = (is_han(before) || is_closing(before) || m.form == Form::Circled)
                && m.seq == prev + 1;
            if inline && (spaced || glued) {
                out.push(m);
                i = m.end;
                continue;
            }
        }
        i += 1;
    }
    out
}

fn marker_at(c: &[char], i: usize) -> Option<Marker> {
    let ch = *c.get(i)?;
    if let Some(seq) = circled_value(ch) {
        let mut end = i + 1;
        if matches!(c.get(end), Some('.' | '、' | ')' | '）')) {
            end += 1;
        }
        return Some(Marker {
            start: i,
            end,
            seq,
            form: Form::Circled,
        });
    }
    if matches!(ch, '(' | '（' | '[' | '【' | '〔') {
        let (seq, e) = digits_at(c, i + 1)?;
        let closes = matches!(c.get(e), Some(')' | '）' | ']' | '】' | '〕'));
        return (closes && seq > 0).then_some(Marker {
            start: i,
            end: e + 1,
            seq,
            form: Form::Bracketed,
        });
    }
    if !ch.is_ascii_digit() || (i > 0 && c[i - 1].is_ascii_digit()) {
        return None;
    }
    let (seq, e) = digits_at(c, i)?;
    if seq == 0 {
        return None;
    }
    let after_digit = c.get(e + 1).is_some_and(|a| a.is_ascii_digit());
    let (form, end) = match c.get(e).copied() {
        None | Some(' ') => (Form::Plain, e),
        Some('.' | '。' | ':' | '：') if !after_digit => (Form::Delimited, e + 1),
        Some('、' | ')' | '）' | ']' | '】') => (Form::Delimited, e + 1),
        Some(',' | '，' | '-' | '—' | '–') if !after_digit => (Form::Loose, e + 1),
        Some(x) if is_han(x) || x.is_ascii_alphabetic() => (Form::Glued, e),
        _ => return None,
    };
    Some(Marker {
        start: i,
        end,
        seq,
        form,
    })
}

/// One to three ASCII digits starting at `i` (a longer run is not a chain number).
fn digits_at(c: &[char], i: usize) -> Option<(u32, usize)> {
    let n = c[i.min(c.len())..]
        .iter()
        .take_while(|d| d.is_ascii_digit())
        .count();
    if n == 0 || n > 3 {
        return None;
    }
    let value = c[i..i + n]
        .iter()
        .fold(0, |acc, d| acc * 10 + d.to_digit(10).unwrap_or(0));
    Some((value, i + n))
}

fn circled_value(c: char) -> Option<u32> {
    let v = c as u32;
    let n = match v {
        0x2460..=0x2473 => v - 0x2460 + 1,  // ①..⑳
        0x2474..=0x2487 => v - 0x2474 + 1,  // ⑴..⒇
        0x2488..=0x249B => v - 0x2488 + 1,  // ⒈..⒛
        0x24F5..=0x24FE => v - 0x24F5 + 1,  // ⓵..⓾
        0x2776..=0x277F => v - 0x2776 + 1,  // ❶..❿
        0x2780..=0x2789 => v - 0x2780 + 1,  // ➀..➉
        0x278A..=0x2793 => v - 0x278A + 1,  // ➊..➓
        0x3251..=0x325F => v - 0x3251 + 21, // ㉑..㉟
        0x32B1..=0x32BF => v - 0x32B1 + 36, // ㊱..㊿
        _ => return None,
    };
    Some(n)
}

/// Characters that make a number a quantity rather than a chain number: `30 人`, `1 月`.
fn is_unit(c: char) -> bool {
    "人位个名月日号点年天岁元块分楼层期次周时%".contains(c)
}

fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
        || c == '〇'
}

fn is_closing(c: char) -> bool {
    ")）]】」』”’》〉".contains(c)
}

// ---------------------------------------------------------------------------------------------
// One item: phone, tail, companions, then name and note

#[derive(Debug, Default)]
struct Info {
    /// The text left once phone, tail and companions are taken out.
    rest: Vec<char>,
    phone: Option<String>,
    tail: Option<String>,
    companions: u32,
    /// Whether a phone, a tail or a companion count was found.
    found: bool,
}

fn extract_info(body: &[char], tail_hint: bool) -> Info {
    let mut c: Vec<char> = body.to_vec();
    let mut info = Info::default();

    if let Some((s, e, phone)) = find_phone(&c) {
        info.phone = Some(phone);
        c = cut(&c, s, e);
    }
    if let Some((s, e, tail)) = find_tail(&c) {
        info.tail = Some(tail);
        c = cut(&c, s, e);
    }
    if tail_hint && info.phone.is_none() && info.tail.is_none() {
        if let Some((s, e, tail)) = find_bare_tail(&c) {
            info.tail = Some(tail);
            c = cut(&c, s, e);
        }
    }
    let spans = find_companions(&c);
    if let Some(max) = spans.iter().map(|(_, _, n)| *n).max() {
        info.companions = max;
        for (s, e, _) in spans.iter().rev() {
            c = cut(&c, *s, *e);
        }
    }
    info.found = info.phone.is_some() || info.tail.is_some() || !spans.is_empty();
    info.rest = tidy(&c);
    info
}

/// Replaces `c[s..e]` with one space so the words around it do not run together.
fn cut(c: &[char], s: usize, e: usize) -> Vec<char> {
    let mut out = Vec::with_capacity(c.len());
    out.extend_from_slice(&c[..s]);
    out.push(' ');
    out.extend_from_slice(&c[e..]);
    out
}

/// Removes brackets left empty (`王芳（）`), collapses spaces and trims separators at the ends.
fn tidy(c: &[char]) -> Vec<char> {
    let mut v: Vec<char> = c.to_vec();
    loop {
        let mut changed = false;
        let mut i = 0;
        while i < v.len() {
            if let Some(close) = closer_of(v[i]) {
                let mut j = i + 1;
                while j < v.len() && (v[j] == ' ' || is_separator(v[j])) {
                    j += 1;
                }
                if j < v.len() && v[j] == close {
                    v.splice(i..=j, [' ']);
                    changed = true;
                    continue;
                }
            }
            i += 1;
        }
        if !changed {
            break;
        }
    }
    let s: String = v.into_iter().collect();
    let s = s
        .split(' ')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    s.trim_matches(|c: char| c == ' ' || is_separator(c))
        .chars()
        .collect()
}

fn closer_of(open: char) -> Option<char> {
    Some(match open {
        '(' => ')',
        '（' => '）',
        '[' => ']',
        '【' => '】',
        '「' => '」',
        '『' => '』',
        '“' => '”',
        '‘' => '’',
        '"' => '"',
        '\'' => '\'',
        '《' => '》',
        '〈' => '〉',
        '<' => '>',
        '〔' => '〕',
        _ => return None,
    })
}

fn is_separator(c: char) -> bool {
    "-—–/,，、|｜;；:：.。~～".contains(c)
}

fn is_digit_at(c: &[char], i: usize) -> bool {
    c.get(i).is_some_and(|d| d.is_ascii_digit())
}

/// An 11-digit mainland mobile (`1[3-9]` then nine digits), written together, as 3-4-4 with
/// spaces or hyphens, with an optional `+86`/`86` prefix and a `手机：` style label.
fn find_phone(c: &[char]) -> Option<(usize, usize, String)> {
    for i in 0..c.len() {
        if c[i] != '1' || !c.get(i + 1).is_some_and(|d| ('3'..='9').contains(d)) {
            continue;
        }
        let mut start = i;
        if i > 0 && c[i - 1].is_ascii_digit() {
            // `8613912345678`
            if i >= 2 && c[i - 2] == '8' && c[i - 1] == '6' && !(i >= 3 && is_digit_at(c, i - 3)) {
                start = i - 2;
            } else {
                continue;
            }
        }
        let end = if (i..i + 11).all(|k| is_digit_at(c, k)) {
            i + 11
        } else {
            let sep = c.get(i + 3).copied().filter(|s| *s == ' ' || *s == '-');
            let grouped = sep.is_some_and(|sep| {
                (i..i + 3).all(|k| is_digit_at(c, k))
                    && (i + 4..i + 8).all(|k| is_digit_at(c, k))
                    && c.get(i + 8) == Some(&sep)
                    && (i + 9..i + 13).all(|k| is_digit_at(c, k))
            });
            if !grouped {
                continue;
            }
            i + 13
        };
        if is_digit_at(c, end) {
            continue;
        }
        let phone: String = c[i..end].iter().filter(|d| d.is_ascii_digit()).collect();
        // `+86 139…`, `+86-139…`
        if start == i {
            let mut s = i;
            if s > 0 && matches!(c[s - 1], ' ' | '-') {
                s -= 1;
            }
            if s >= 2 && c[s - 2] == '8' && c[s - 1] == '6' && !(s >= 3 && is_digit_at(c, s - 3)) {
                start = s - 2;
            }
        }
        if start > 0 && c[start - 1] == '+' {
            start -= 1;
        }
        start = before_label(
            c,
            start,
            &[
                "手机号码",
                "手机号",
                "手机",
                "电话",
                "联系方式",
                "tel",
                "phone",
                "mobile",
                "mob",
            ],
        );
        return Some((start, end, phone));
    }
    None
}

/// Moves `start` back over `label` plus optional `:`/`：` and spaces written before a value.
fn before_label(c: &[char], start: usize, labels: &[&str]) -> usize {
    let mut s = start;
    while s > 0 && matches!(c[s - 1], ' ' | ':' | '：') {
        s -= 1;
    }
    for label in labels {
        let l: Vec<char> = label.chars().collect();
        if s >= l.len()
            && c[s - l.len()..s]
                .iter()
                .zip(&l)
                .all(|(a, b)| a.to_ascii_lowercase() == *b)
        {
            return s - l.len();
        }
    }
    start
}

/// `尾号1234`, `手机尾号：1234`, `后四位 1234`.
fn find_tail(c: &[char]) -> Option<(usize, usize, String)> {
    for label in ["手机尾号", "尾号", "后四位", "后4位", "尾数"] {
        let l: Vec<char> = label.chars().collect();
        let Some(at) = c.windows(l.len()).position(|w| w == l.as_slice()) else {
            continue;
        };
        let mut j = at + l.len();
        while j < c.len() && matches!(c[j], ' ' | ':' | '：' | '是') {
            j += 1;
        }
        if (j..j + 4).all(|k| is_digit_at(c, k)) && !is_digit_at(c, j + 4) {
            let tail: String = c[j..j + 4].iter().collect();
            return Some((at, j + 4, tail));
        }
    }
    None
}

/// A lone group of four digits, used as the tail when the example line asks for one.
fn find_bare_tail(c: &[char]) -> Option<(usize, usize, String)> {
    let bound = |x: Option<&char>| x.is_none_or(|ch| *ch == ' ' || is_separator(*ch));
    (0..c.len()).find_map(|i| {
        let ok = (i..i + 4).all(|k| is_digit_at(c, k))
            && bound(if i == 0 { None } else { c.get(i - 1) })
            && bound(c.get(i + 4));
        ok.then(|| (i, i + 4, c[i..i + 4].iter().collect()))
    })
}

/// A count written with ASCII digits (one or two) or one Chinese numeral.
fn count_at(c: &[char], i: usize) -> Option<(u32, usize)> {
    let ch = *c.get(i)?;
    if ch.is_ascii_digit() {
        if i > 0 && c[i - 1].is_ascii_digit() {
            return None;
        }
        let n = c[i..].iter().take_while(|d| d.is_ascii_digit()).count();
        if n > 2 {
            return None;
        }
        let v = c[i..i + n]
            .iter()
            .fold(0, |a, d| a * 10 + d.to_digit(10).unwrap_or(0));
        return Some((v, i + n));
    }
    let v = match ch {
        '一' => 1,
        '二' | '两' | '俩' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        '十' => 10,
        _ => return None,
    };
    Some((v, i + 1))
}

const PERSON_WORDS: [&str; 26] = [
    "男朋友",
    "女朋友",
    "小朋友",
    "朋友",
    "家属",
    "家人",
    "孩子",
    "小孩",
    "宝宝",
    "娃",
    "同事",
    "同学",
    "老婆",
    "老公",
    "爱人",
    "对象",
    "女儿",
    "儿子",
    "妈妈",
    "爸爸",
    "父母",
    "伴侣",
    "男友",
    "女友",
    "闺蜜",
    "室友",
];

fn word_at(c: &[char], i: usize, words: &[&str]) -> Option<usize> {
    words.iter().find_map(|w| {
        let l: Vec<char> = w.chars().collect();
        (c.len() >= i + l.len() && c[i..i + l.len()] == l[..]).then_some(i + l.len())
    })
}

/// Ascii-case-insensitive `word` at `i`, bounded by non-letters on both sides.
fn ascii_word_at(c: &[char], i: usize, word: &str) -> Option<usize> {
    let l: Vec<char> = word.chars().collect();
    let end = i + l.len();
    let fits = c.len() >= end
        && c[i..end]
            .iter()
            .zip(&l)
            .all(|(a, b)| a.to_ascii_lowercase() == *b)
        && !(i > 0 && c[i - 1].is_ascii_alphanumeric())
        && !c.get(end).is_some_and(|x| x.is_ascii_alphanumeric());
    fits.then_some(end)
}

fn skip_spaces(c: &[char], mut i: usize) -> usize {
    while c.get(i) == Some(&' ') {
        i += 1;
    }
    i
}

/// Every companion count on the item: `(start, end, extra people)`, in order, not overlapping.
fn find_companions(c: &[char]) -> Vec<(usize, usize, u32)> {
    let mut spans = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let Some(found) = companions_at(c, i) else {
            i += 1;
            continue;
        };
        let start = if found.whole_party {
            before_words(c, i, &["一共", "总共", "合计", "一行", "共", "等"])
        } else {
            i
        };
        spans.push((start, found.end, found.extra));
        i = found.end;
    }
    spans
}

struct Companions {
    /// Where the form ends.
    end: usize,
    /// People they bring besides themselves.
    extra: u32,
    /// Written as the size of the whole party (`2人`, `x2`).
    whole_party: bool,
}

fn extra(end: usize, extra: u32) -> Option<Companions> {
    Some(Companions {
        end,
        extra,
        whole_party: false,
    })
}

fn party(end: usize, size: u32) -> Option<Companions> {
    Some(Companions {
        end,
        extra: size.saturating_sub(1),
        whole_party: true,
    })
}

/// A companion form starting at `i`, if any.
fn companions_at(c: &[char], i: usize) -> Option<Companions> {
    let ch = c[i];
    let prev = if i == 0 { None } else { Some(c[i - 1]) };
    // `+1`, `+ 2`
    if ch == '+' && !prev.is_some_and(|p| p.is_ascii_digit()) {
        let j = skip_spaces(c, i + 1);
        if let Some((n, e)) = count_at(c, j).filter(|_| is_digit_at(c, j)) {
            return extra(e, n);
        }
    }
    // `带1人`, `带2个孩子`, `带朋友1位`, `带两位家属`, `带娃`
    if ch == '带' {
        let mut j = i + 1;
        if matches!(c.get(j), Some('上' | '了')) {
            j += 1;
        }
        if let Some((n, mut e)) = count_at(c, j) {
            let mut named = false;
            if matches!(c.get(e), Some('个' | '位' | '名')) {
                e += 1;
                named = true;
            }
            if c.get(e) == Some(&'人') {
                e += 1;
                named = true;
            } else if let Some(w) = word_at(c, e, &PERSON_WORDS) {
                e = w;
                named = true;
            }
            if named || c.get(e).is_none_or(|x| !is_han(*x)) {
                return extra(e, n);
            }
        } else if let Some(mut e) = word_at(c, j, &PERSON_WORDS) {
            let mut n = 1;
            if let Some((k, after)) = count_at(c, e) {
                n = k;
                e = after;
                if matches!(c.get(e), Some('个' | '位' | '名' | '人')) {
                    e += 1;
                }
            }
            return extra(e, n);
        }
    }
    // `2人`, `两位`, `3个人`, `2 people`: the whole party
    if let Some((n, mut e)) = count_at(c, i) {
        let han_numeral = !ch.is_ascii_digit();
        let prev_ok = prev.is_none_or(|p| {
            !p.is_ascii_digit() && (!han_numeral || !is_han(p) || "共等行".contains(p))
        });
        if c.get(e) == Some(&'个') && c.get(e + 1) == Some(&'人') {
            e += 1;
        }
        if prev_ok && matches!(c.get(e), Some('人' | '位')) && n > 0 {
            return party(e + 1, n);
        }
        if !han_numeral && prev_ok {
            let j = skip_spaces(c, e);
            for word in ["people", "persons", "person", "ppl", "pax"] {
                if let Some(end) = ascii_word_at(c, j, word) {
                    return party(end, n);
                }
            }
            for word in ["guests", "guest"] {
                if let Some(end) = ascii_word_at(c, j, word) {
                    return extra(end, n);
                }
            }
        }
    }
    // `x2`, `×2`, `*2`: the whole party
    if matches!(ch, 'x' | 'X' | '×' | '*' | '✖')
        && prev.is_none_or(|p| p == ' ' || is_han(p) || is_closing(p))
    {
        let j = skip_spaces(c, i + 1);
        if let Some((n, e)) = count_at(c, j).filter(|_| is_digit_at(c, j)) {
            if !c.get(e).is_some_and(|x| x.is_ascii_alphanumeric()) && n > 0 {
                return party(e, n);
            }
        }
    }
    // `plus one`, `with 2 friends`, `bringing 1 guest`
    if ch.is_ascii_alphabetic() {
        if let Some(e) = ascii_word_at(c, i, "plus") {
            let j = skip_spaces(c, e);
            if let Some(end) = ascii_word_at(c, j, "one") {
                return extra(end, 1);
            }
            if let Some((n, end)) = count_at(c, j).filter(|_| is_digit_at(c, j)) {
                return extra(end, n);
            }
        }
        for lead in ["with", "bringing", "bring", "and"] {
            let Some(e) = ascii_word_at(c, i, lead) else {
                continue;
            };
            let j = skip_spaces(c, e);
            let Some((n, e)) = count_at(c, j).filter(|_| is_digit_at(c, j)) else {
                continue;
            };
            let k = skip_spaces(c, e);
            let found = GUEST_WORDS.iter().find_map(|w| ascii_word_at(c, k, w));
            if let Some(end) = found {
                return extra(end, n);
            }
        }
    }
    None
}

const GUEST_WORDS: [&str; 13] = [
    "friends",
    "friend",
    "guests",
    "guest",
    "kids",
    "kid",
    "children",
    "child",
    "others",
    "other",
    "people",
    "colleagues",
    "colleague",
];

/// Moves `start` back over one of `words` written right before it (`共3人`, `张伟等3人`).
fn before_words(c: &[char], start: usize, words: &[&str]) -> usize {
    for w in words {
        let l: Vec<char> = w.chars().collect();
        if start >= l.len() && c[start - l.len()..start] == l[..] {
            return start - l.len();
        }
    }
    start
}

const HARD_SEPARATORS: &str = " /,，、|｜;；:：(（[【“\"「《—–~～";

/// Splits what is left of an item into the name and the note.
fn split_name(rest: &[char]) -> (String, String) {
    let mut c: &[char] = rest;
    while let Some('@') = c.first() {
        c = &c[1..];
    }
    // `【张伟】外企`, `"Tom Smith" Google`
    if let Some(close) = c.first().and_then(|o| closer_of(*o)) {
        if let Some(at) = c[1..].iter().position(|x| *x == close) {
            let name = clean_name(&c[1..at + 1]);
            if !name.is_empty() {
                return (name, clean_note(&c[at + 2..]));
            }
        }
        c = &c[1..];
    }
    let head_end = (0..c.len())
        .find(|&i| {
            let x = c[i];
            if x == '-' {
                // `Mary-Jane` keeps its hyphen; `张伟-腾讯` does not
                !(i > 0
                    && c[i - 1].is_ascii_alphabetic()
                    && c.get(i + 1).is_some_and(|n| n.is_ascii_alphabetic()))
            } else {
                HARD_SEPARATORS.contains(x)
            }
        })
        .unwrap_or(c.len());
    let mut end = head_end;
    let head = &c[..head_end];
    let latin = |w: &[char]| {
        w.first().is_some_and(|f| f.is_ascii_alphabetic())
            && w.iter()
                .all(|x| x.is_ascii_alphabetic() || "'’-.".contains(*x))
    };
    if latin(head) {
        // Further capitalised words: `Tom Smith`, `Ludwig van Beethoven`
        let mut words = 1;
        while words < 4 && c.get(end) == Some(&' ') {
            let start = end + 1;
            let stop = (start..c.len())
                .find(|&i| {
                    HARD_SEPARATORS.contains(c[i]) || (c[i] == '-' && c.get(i + 1) == Some(&' '))
                })
                .unwrap_or(c.len());
            let word = &c[start..stop];
            let lower: String = word.iter().collect::<String>().to_lowercase();
            let particle = [
                "de", "van", "von", "der", "da", "di", "le", "la", "du", "del", "bin", "al", "el",
            ]
            .contains(&lower.as_str());
            let capital = word.first().is_some_and(|f| f.is_ascii_uppercase());
            if !latin(word) || !(capital || particle) {
                break;
            }
            end = stop;
            words += 1;
        }
    } else if head.len() == 1 && is_han(head[0]) && c.get(end) == Some(&' ') {
        // `王 芳`: a two-character name spaced out to line up with three-character ones
        let next = c.get(end + 1).copied();
        let after = c.get(end + 2).copied();
        if next.is_some_and(is_han) && after.is_none_or(|a| HARD_SEPARATORS.contains(a)) {
            let name: String = [head[0], c[end + 1]].iter().collect();
            return (
                clean_name(&name.chars().collect::<Vec<_>>()),
                clean_note(&c[end + 2..]),
            );
        }
    }
    (clean_name(&c[..end]), clean_note(&c[end..]))
}

fn clean_name(c: &[char]) -> String {
    let s: String = c.iter().collect();
    let s = s.trim_matches(|x: char| {
        x == ' ' || "，,。、;；:：!！?？~～\"“”'‘’「」『』【】《》".contains(x)
    });
    s.split(' ')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn clean_note(c: &[char]) -> String {
    let tidied = tidy(c);
    let mut s: &[char] = &tidied;
    // A note that is one bracketed group: `（外企）` → `外企`
    if let Some(close) = s.first().and_then(|o| closer_of(*o)) {
        if s.len() >= 2 && s[s.len() - 1] == close && !s[1..s.len() - 1].contains(&close) {
            s = &s[1..s.len() - 1];
        }
    }
    collect_trim(s)
}

fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Lines without a number

fn continuation(line: &Line, indent: usize, tail_hint: bool) -> Option<Info> {
    let has_content = line.chars.iter().any(|c| c.is_alphanumeric());
    if !has_content {
        return None;
    }
    let info = extract_info(&line.chars, tail_hint);
    let only_details = info.found && !info.rest.iter().any(|c| c.is_alphanumeric());
    let marked = line.indent > indent
        || line
            .chars
            .first()
            .is_some_and(|f| "-—–/,，、(（+|~～".contains(*f));
    (only_details || (marked && !reads_like_sentence(&line.text))).then_some(info)
}

fn merge(entry: &mut JielongEntry, info: Info) {
    if entry.phone.is_none() {
        if let Some(p) = &info.phone {
            entry.phone_tail = Some(p[p.len() - 4..].to_string());
            entry.phone = Some(p.clone());
        }
    }
    if entry.phone_tail.is_none() {
        entry.phone_tail = info.tail;
    }
    entry.companions = entry.companions.max(info.companions);
    let extra = clean_note(&info.rest);
    if !extra.is_empty() {
        if !entry.note.is_empty() {
            entry.note.push(' ');
        }
        entry.note.push_str(&extra);
    }
}

const SENTENCE_WORDS: [&str; 47] = [
    "截止", "截至", "报名", "谢谢", "感谢", "请", "注意", "备注", "地址", "地点", "时间", "费用",
    "人数", "名额", "已满", "满员", "额满", "欢迎", "接龙", "活动", "星期", "周一", "周二", "周三",
    "周四", "周五", "周六", "周日", "周天", "周末", "今天", "明天", "后天", "今晚", "明晚", "以上",
    "以下", "候补", "取消", "联系", "准时", "签到", "集合", "提醒", "结束", "开始", "收到",
];

const SENTENCE_WORDS_EN: [&str; 16] = [
    "deadline",
    "thanks",
    "thank",
    "please",
    "closes",
    "closing",
    "rsvp",
    "note",
    "waitlist",
    "cancel",
    "cancelled",
    "reminder",
    "limit",
    "spots",
    "full",
    "see",
];

/// Whether a line after the list reads like an announcement rather than a forgotten name.
fn reads_like_sentence(text: &str) -> bool {
    let c: Vec<char> = text.chars().collect();
    if !c.iter().any(|x| x.is_alphanumeric()) {
        return true; // `------`, emoji
    }
    if c.iter().any(|x| "。！？!?：:…#【】".contains(*x)) {
        return true;
    }
    if SENTENCE_WORDS.iter().any(|w| text.contains(w)) {
        return true;
    }
    if SENTENCE_WORDS_EN
        .iter()
        .any(|w| (0..c.len()).any(|i| ascii_word_at(&c, i, w).is_some()))
    {
        return true;
    }
    // Dates and times: `8点`, `11月`, `30日`, `3号`
    let dated = c
        .windows(2)
        .any(|w| w[0].is_ascii_digit() && "点月日号时".contains(w[1]));
    let han = c.iter().filter(|x| is_han(**x)).count();
    let words = text.split(' ').count();
    dated || han > 6 || words > 4 || c.len() > 24
}

#[cfg(test)]
mod tests {
    use super::JielongReason::*;
    use super::*;

    fn entry(p: &JielongParse, name: &str) -> JielongEntry {
        p.entries
            .iter()
            .find(|e| e.name == name)
            .unwrap_or_else(|| panic!("no entry {name:?} in {:#?}", p.entries))
            .clone()
    }

    fn names(p: &JielongParse) -> Vec<&str> {
        p.entries.iter().map(|e| e.name.as_str()).collect()
    }

    fn problems(p: &JielongParse) -> Vec<(u32, &str, JielongReason)> {
        p.problems
            .iter()
            .map(|x| (x.line, x.text.as_str(), x.reason))
            .collect()
    }

    const BRIEF: &str = "#接龙\n周六读书会 11月30日 14:00 静安图书馆\n例 张三 公司 手机尾号\n\n\
        1. 张伟\n2. 李娜 +1\n3、Tom Smith 外企\n4．王芳（带朋友1位）\n5 赵磊 13912345678\n6. \n\
        7. 陈静 2人\n截止周五";

    #[test]
    fn the_usual_chain() {
        let p = parse(BRIEF);
        assert_eq!(p.title, ["#接龙", "周六读书会 11月30日 14:00 静安图书馆"]);
        assert_eq!(p.example.as_deref(), Some("例 张三 公司 手机尾号"));
        assert_eq!(
            names(&p),
            ["张伟", "李娜", "Tom Smith", "王芳", "赵磊", "陈静"]
        );
        let seqs: Vec<u32> = p.entries.iter().map(|e| e.seq).collect();
        assert_eq!(seqs, [1, 2, 3, 4, 5, 7]);
        let lines: Vec<u32> = p.entries.iter().map(|e| e.line).collect();
        assert_eq!(lines, [5, 6, 7, 8, 9, 11]);
        assert_eq!(entry(&p, "张伟").companions, 0);
        assert_eq!(entry(&p, "李娜").companions, 1);
        assert_eq!(entry(&p, "李娜").note, "");
        assert_eq!(entry(&p, "Tom Smith").note, "外企");
        let wang = entry(&p, "王芳");
        assert_eq!((wang.note.as_str(), wang.companions), ("", 1));
        let zhao = entry(&p, "赵磊");
        assert_eq!(zhao.phone.as_deref(), Some("13912345678"));
        assert_eq!(zhao.phone_tail.as_deref(), Some("5678"));
        assert_eq!(zhao.note, "");
        assert_eq!(entry(&p, "陈静").companions, 1, "2人 is the whole party");
        assert_eq!(problems(&p), [(10, "6.", NoName)]);
        assert_eq!(p.trailing, ["截止周五"]);
    }

    #[test]
    fn everything_on_one_line() {
        let p = parse(
            "#接龙 周六读书会 例 张三 公司 1. 张伟 2. 李娜+1 3. Tom 外企 4.王芳5.赵磊 尾号8899",
        );
        assert_eq!(p.title, ["#接龙 周六读书会"]);
        assert_eq!(p.example.as_deref(), Some("例 张三 公司"));
        assert_eq!(names(&p), ["张伟", "李娜", "Tom", "王芳", "赵磊"]);
        assert!(p.entries.iter().all(|e| e.line == 1));
        assert_eq!(entry(&p, "李娜").companions, 1);
        assert_eq!(entry(&p, "Tom").note, "外企");
        assert_eq!(entry(&p, "赵磊").phone_tail.as_deref(), Some("8899"));
        assert_eq!(entry(&p, "赵磊").phone, None);
        assert!(p.problems.is_empty() && p.trailing.is_empty());

        // without any header
        let p = parse("1. 张伟 2. 李娜 3. Tom");
        assert_eq!(names(&p), ["张伟", "李娜", "Tom"]);
        assert!(p.title.is_empty());
    }

    #[test]
    fn full_width_digits_brackets_and_circled_numbers() {
        let p = parse(
            "＃接龙　春季徒步\n１．张伟\n２、李娜　外企\n３）王芳\n(4) 赵磊\n（5）陈静，设计师\n\
             6) 刘洋\n７） Ｔｏｍ",
        );
        assert_eq!(p.title, ["#接龙 春季徒步"]);
        assert_eq!(
            names(&p),
            ["张伟", "李娜", "王芳", "赵磊", "陈静", "刘洋", "Tom"]
        );
        assert_eq!(
            p.entries.iter().map(|e| e.seq).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5, 6, 7]
        );
        assert_eq!(entry(&p, "李娜").note, "外企");
        assert_eq!(entry(&p, "陈静").note, "设计师");
        assert!(p.problems.is_empty());

        let p = parse("接龙：羽毛球\n①张伟\n② 李娜 +2\n③【王芳】市场部\n④“Tom Smith”\n⑤\n⑫ 赵磊");
        assert_eq!(names(&p), ["张伟", "李娜", "王芳", "Tom Smith", "赵磊"]);
        assert_eq!(entry(&p, "李娜").companions, 2);
        assert_eq!(entry(&p, "王芳").note, "市场部");
        assert_eq!(
            entry(&p, "赵磊").seq,
            12,
            "a skipped number keeps its written value"
        );
        assert_eq!(problems(&p), [(6, "⑤", NoName)]);

        let p = parse("①张伟②李娜③Tom");
        assert_eq!(names(&p), ["张伟", "李娜", "Tom"]);
    }

    #[test]
    fn companions_in_every_form() {
        let p = parse(
            "#接龙 亲子活动\n\
             1. 张伟 +2\n\
             2. 李娜+1\n\
             3. 王芳 x2\n\
             4. 赵磊×3\n\
             5. 陈静 2人\n\
             6. 刘洋 带1人\n\
             7. 孙丽（带家属2位）\n\
             8. 周杰 带两个孩子\n\
             9. 吴敏 带娃 外企\n\
             10. 郑爽 共3人\n\
             11. 冯涛 1人\n\
             12. 何静 带朋友 +1\n\
             13. Alice Wong (with 2 friends)\n\
             14. Bob plus one\n\
             15. 钱多 带2个人\n\
             16. Eve 2 guests\n\
             17. Frank 3 people",
        );
        let got: Vec<(&str, u32)> = p
            .entries
            .iter()
            .map(|e| (e.name.as_str(), e.companions))
            .collect();
        assert_eq!(
            got,
            [
                ("张伟", 2),
                ("李娜", 1),
                ("王芳", 1),
                ("赵磊", 2),
                ("陈静", 1),
                ("刘洋", 1),
                ("孙丽", 2),
                ("周杰", 2),
                ("吴敏", 1),
                ("郑爽", 2),
                ("冯涛", 0),
                ("何静", 1),
                ("Alice Wong", 2),
                ("Bob", 1),
                ("钱多", 2),
                ("Eve", 2),
                ("Frank", 2),
            ]
        );
        assert!(p
            .entries
            .iter()
            .all(|e| e.note.is_empty() || e.name == "吴敏"));
        assert_eq!(entry(&p, "吴敏").note, "外企");
        assert!(p.problems.is_empty());
    }

    #[test]
    fn phones_and_tails() {
        let p = parse(
            "#接龙 年会\n例：张三 公司 尾号1234\n\
             1. 张伟 13912345678\n\
             2. 李娜 尾号1234\n\
             3. 王芳 139-1234-5678 外企\n\
             4. 赵磊 +86 138 0013 8000\n\
             5. 陈静 手机：13700137000 设计\n\
             6. 刘洋 腾讯 5678\n\
             7. 孙丽 手机尾号：0420\n\
             8. 周杰13612345678腾讯\n\
             9. 吴敏 电话 021-12345678",
        );
        let got: Vec<(&str, &str, Option<&str>, Option<&str>)> = p
            .entries
            .iter()
            .map(|e| {
                (
                    e.name.as_str(),
                    e.note.as_str(),
                    e.phone.as_deref(),
                    e.phone_tail.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("张伟", "", Some("13912345678"), Some("5678")),
                ("李娜", "", None, Some("1234")),
                ("王芳", "外企", Some("13912345678"), Some("5678")),
                ("赵磊", "", Some("13800138000"), Some("8000")),
                ("陈静", "设计", Some("13700137000"), Some("7000")),
                ("刘洋", "腾讯", None, Some("5678")),
                ("孙丽", "", None, Some("0420")),
                ("周杰", "腾讯", Some("13612345678"), Some("5678")),
                ("吴敏", "电话 021-12345678", None, None),
            ]
        );
        assert!(p.problems.is_empty());

        // Without 尾号 in the example a lone 4-digit group stays in the note.
        let p = parse("1. 张伟 Room 2046");
        assert_eq!(entry(&p, "张伟").note, "Room 2046");
        assert_eq!(entry(&p, "张伟").phone_tail, None);
    }

    #[test]
    fn bad_lines_duplicates_and_trailing_text() {
        let text = "#接龙 周日徒步\n\
                    例 张三 +1\n\
                    \n\
                    1. 张伟\n\
                    2. 李娜\n\
                    3.\n\
                    刘洋\n\
                    4. 王芳\n\
                    4. 赵磊\n\
                    5. 张伟 +1\n\
                    6. Tom\n   外企 产品经理\n\
                    7. 陈静\n\
                    孙丽\n\
                    \n\
                    截止周五晚8点，满20人成行。\n\
                    谢谢大家\n\
                    王强";
        let p = parse(text);
        assert_eq!(names(&p), ["张伟", "李娜", "王芳", "Tom", "陈静"]);
        assert_eq!(
            entry(&p, "Tom").note,
            "外企 产品经理",
            "an indented line continues the entry"
        );
        assert_eq!(
            problems(&p),
            [
                (6, "3.", NoName),
                (7, "刘洋", Unnumbered),
                (9, "4. 赵磊", DuplicateNumber),
                (10, "5. 张伟 +1", DuplicateName),
                (14, "孙丽", Unnumbered),
            ]
        );
        assert_eq!(
            p.trailing,
            ["截止周五晚8点，满20人成行。", "谢谢大家", "王强"]
        );
    }

    #[test]
    fn english_only_chain() {
        let p = parse(
            "Saturday Book Club RSVP\r\n\
             Nov 30, 2pm @ Jing'an Library\r\n\
             e.g. Jane Doe - Company\r\n\
             \r\n\
             1. Tom Smith - Google\r\n\
             2. Alice Wong +1\r\n\
             3) Bob Lee, designer\r\n\
             4. Mary-Jane O'Neil (with 2 friends)\r\n\
             5. carol x2\r\n\
             6. Dan Brown from Acme 13912345678\r\n\
             7. \"Ludwig van Beethoven\" / composer\r\n\
             Deadline: Friday\r\n",
        );
        assert_eq!(
            p.title,
            ["Saturday Book Club RSVP", "Nov 30, 2pm @ Jing'an Library"]
        );
        assert_eq!(p.example.as_deref(), Some("e.g. Jane Doe - Company"));
        let got: Vec<(&str, &str, u32)> = p
            .entries
            .iter()
            .map(|e| (e.name.as_str(), e.note.as_str(), e.companions))
            .collect();
        assert_eq!(
            got,
            [
                ("Tom Smith", "Google", 0),
                ("Alice Wong", "", 1),
                ("Bob Lee", "designer", 0),
                ("Mary-Jane O'Neil", "", 2),
                ("carol", "", 1),
                ("Dan Brown", "from Acme", 0),
                ("Ludwig van Beethoven", "composer", 0),
            ]
        );
        assert_eq!(entry(&p, "Dan Brown").phone.as_deref(), Some("13912345678"));
        assert!(p.problems.is_empty());
        assert_eq!(p.trailing, ["Deadline: Friday"]);
    }

    #[test]
    fn invisible_characters_and_line_endings() {
        let p = parse("#接龙\r\n1.\u{200B}张伟\u{00A0}外企\r\n2.\u{3000}李娜\u{FEFF}\r3.\u{2009}王\u{00A0}芳\n");
        assert_eq!(names(&p), ["张伟", "李娜", "王芳"]);
        assert_eq!(entry(&p, "张伟").note, "外企");
        assert_eq!(entry(&p, "王芳").line, 4);
    }

    #[test]
    fn continuation_lines() {
        let p =
            parse("1. 张伟\n+1\n2. 李娜\n13912345678\n3. 王芳\n（外企，市场部）\n4. 赵磊\n\n+1");
        assert_eq!(entry(&p, "张伟").companions, 1);
        assert_eq!(entry(&p, "李娜").phone.as_deref(), Some("13912345678"));
        assert_eq!(entry(&p, "王芳").note, "外企，市场部");
        // After a blank line it is no longer a continuation.
        assert_eq!(entry(&p, "赵磊").companions, 0);
        assert_eq!(problems(&p), [(9, "+1", Unnumbered)]);
    }

    #[test]
    fn numbered_rules_before_the_example_are_header() {
        let p =
            parse("#接龙 读书会\n注意事项：\n1、准时到场\n2、自带书\n例 张三\n1. 张伟\n2. 李娜");
        assert_eq!(
            p.title,
            ["#接龙 读书会", "注意事项：", "1、准时到场", "2、自带书"]
        );
        assert_eq!(names(&p), ["张伟", "李娜"]);
    }

    #[test]
    fn quantities_in_the_header_are_not_numbers() {
        let p = parse("#接龙\n30 人限额\n2024 年会\n14:00 开始\n1 张伟\n2 李娜");
        assert_eq!(p.title, ["#接龙", "30 人限额", "2024 年会", "14:00 开始"]);
        assert_eq!(names(&p), ["张伟", "李娜"]);
    }

    const SAMPLES: [&str; 4] = [
        "1. 张伟\n+1\n2. 李娜\n13912345678\n3. 王芳\n（外企，市场部）\n4. 赵磊\n\n+1",
        "#接龙 读书会\n注意事项：\n1、准时到场\n2、自带书\n例 张三\n1. 张伟\n2. 李娜",
        "随便写点什么\n张伟\n李娜",
        "",
    ];

    /// Every non-blank line lands in exactly one place, and the places agree with the result.
    #[test]
    fn no_line_is_ever_dropped() {
        let mut all: Vec<String> = SAMPLES.iter().map(|s| s.to_string()).collect();
        all.push(BRIEF.to_string());
        for t in [
            "#接龙 周六读书会 例 张三 公司 1. 张伟 2. 李娜+1 3. Tom 外企 4.王芳5.赵磊 尾号8899",
            "#接龙 周日徒步\n例 张三 +1\n\n1. 张伟\n2. 李娜\n3.\n刘洋\n4. 王芳\n4. 赵磊\n5. 张伟 +1\n\
             6. Tom\n   外企 产品经理\n7. 陈静\n孙丽\n\n截止周五晚8点，满20人成行。\n谢谢大家\n王强",
            "Saturday Book Club RSVP\r\nNov 30, 2pm\r\ne.g. Jane Doe - Company\r\n1. Tom Smith - Google\r\n\
             2. Alice Wong +1\r\n——\r\n3) Bob Lee, designer\r\nDeadline: Friday\r\nBob",
            "＃接龙　春季徒步\n１．张伟\n２、李娜　外企\n３）王芳\n(4) 赵磊\n⑤\n⑫ 赵磊",
            "#接龙\n30 人限额\n1 张伟\n2 李娜\n以下候补：\n3 王芳\n\u{200B}\n",
        ] {
            all.push(t.to_string());
        }
        for text in &all {
            let (p, trace) = parse_traced(text);
            let lines = split_lines(text);
            let non_blank: Vec<&Line> = lines.iter().filter(|l| !l.text.is_empty()).collect();
            let traced: Vec<u32> = trace.iter().map(|(n, _)| *n).collect();
            let expected: Vec<u32> = non_blank.iter().map(|l| l.no).collect();
            assert_eq!(
                traced, expected,
                "every non-blank line exactly once in {text:?}"
            );

            let count = |k: Placement| trace.iter().filter(|(_, p)| *p == k).count();
            let inline_header = lines
                .iter()
                .filter(|l| trace.contains(&(l.no, Placement::Numbered)))
                .filter(|l| {
                    find_markers(&l.chars, false, None)
                        .first()
                        .is_some_and(|m| m.start > 0)
                })
                .count();
            assert!(p.title.len() >= count(Placement::Title));
            assert!(p.title.len() <= count(Placement::Title) + inline_header);
            assert_eq!(p.trailing.len(), count(Placement::Trailing));
            for (no, place) in &trace {
                let line = &lines[*no as usize - 1];
                let in_entries = p.entries.iter().any(|e| e.line == *no);
                let in_problems = p.problems.iter().any(|e| e.line == *no);
                match place {
                    Placement::Title => assert!(p.title.contains(&line.text)),
                    Placement::Example => assert_eq!(p.example.as_ref(), Some(&line.text)),
                    Placement::Numbered => assert!(in_entries || in_problems),
                    Placement::Continuation => {
                        assert!(!in_entries && !in_problems);
                        assert!(p.entries.iter().any(|e| e.line < *no));
                    }
                    Placement::Unnumbered => assert!(in_problems && !in_entries),
                    Placement::Trailing => {
                        assert!(p.trailing.contains(&line.text) && !in_entries && !in_problems)
                    }
                }
            }
            for e in &p.entries {
                assert!(trace.contains(&(e.line, Placement::Numbered)));
            }
        }
    }

    #[test]
    fn example_prefixes_are_whole_words() {
        let p = parse("Formation run\nExample: Jane Doe\n1. Tom");
        assert_eq!(p.title, ["Formation run"]);
        assert_eq!(p.example.as_deref(), Some("Example: Jane Doe"));
    }

    #[test]
    fn no_numbers_at_all_is_all_header() {
        let p = parse("随便写点什么\n张伟\n李娜");
        assert_eq!(p.title.len(), 3);
        assert!(p.entries.is_empty() && p.problems.is_empty());
    }
}
