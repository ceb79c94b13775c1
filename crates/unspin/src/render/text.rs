//! The terminal report: a header, a one-screen summary, then the article with each
//! technique highlight in colour *and* between markers (`[` … `]3`), so that it reads the
//! same without colour, with the numbered notes under each paragraph.

use std::io::{self, Write};

use anstyle::{AnsiColor, Effects, Style};
use unicode_width::UnicodeWidthStr;

use super::Render;
use super::facts::{
    CharIndex, actor_name, actor_names, actors_by_prominence, claims_by_score, highlight_ranges,
    paragraph_ranges, pronoun_count, technique_counts, word_count,
};
use super::guide::{guide, index};
use super::layers::{Event, events, laminate_within};
use crate::analysis::{AnalyserStatus, Analysis, TechniqueSpan};

/// Writes an analysis as a report to read in a terminal.
#[derive(Debug, Clone, Copy)]
pub struct Text {
    /// Use ANSI colours and bold (the caller decides: terminal, `NO_COLOR`, `--color`).
    pub color: bool,
    /// Width to wrap to, in terminal columns (at least 40 is used).
    pub width: usize,
}

impl Default for Text {
    fn default() -> Self {
        Text {
            color: false,
            width: 80,
        }
    }
}

/// How many quotes, actors and claims the summary lists.
const SUMMARY_ITEMS: usize = 5;

/// Terminal colours standing in for the report palette, indexed like the techniques.
const COLOURS: [AnsiColor; 7] = [
    AnsiColor::Yellow,
    AnsiColor::Cyan,
    AnsiColor::Green,
    AnsiColor::BrightYellow,
    AnsiColor::Blue,
    AnsiColor::Red,
    AnsiColor::Magenta,
];

/// One piece of a line: text and its style.
type Chunk = (String, Style);

/// What a paragraph is made of, for wrapping.
enum Token {
    /// Characters that must stay on one line.
    Word(Vec<Chunk>),
    /// A space between words, drawn in its style when the words share a line.
    Space(Style),
    /// A line break in the text.
    Break,
}

impl Render for Text {
    fn render(&self, analysis: &Analysis, out: &mut dyn Write) -> io::Result<()> {
        let mut r = Report {
            cfg: Text {
                width: self.width.max(40),
                ..*self
            },
            out,
        };
        r.header(analysis)?;
        r.summary(analysis)?;
        r.article(analysis)?;
        Ok(())
    }
}

struct Report<'o> {
    cfg: Text,
    out: &'o mut dyn Write,
}

impl Report<'_> {
    fn styled(&self, text: &str, style: Style) -> String {
        if self.cfg.color && style != Style::new() {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_owned()
        }
    }

    /// Writes `chunks` wrapped to the width, every line starting with `indent` (the first
    /// with `first` instead when given).
    fn para(&mut self, chunks: &[Chunk], first: &str, indent: &str) -> io::Result<()> {
        for line in wrap(&tokens(chunks), self.cfg.width, first, indent) {
            // Neighbouring pieces in one style are written as one.
            let mut merged: Vec<Chunk> = Vec::new();
            for (t, st) in line {
                match merged.last_mut() {
                    Some((last, last_style)) if *last_style == st => last.push_str(&t),
                    _ => merged.push((t, st)),
                }
            }
            let s: String = merged.iter().map(|(t, st)| self.styled(t, *st)).collect();
            writeln!(self.out, "{}", s.trim_end())?;
        }
        Ok(())
    }

    fn plain(&mut self, text: &str, first: &str, indent: &str) -> io::Result<()> {
        self.para(&[(text.to_owned(), Style::new())], first, indent)
    }

    fn heading(&mut self, text: &str) -> io::Result<()> {
        let rule = "─".repeat(self.cfg.width.saturating_sub(text.width() + 1).min(60));
        let s = self.styled(text, Style::new().bold());
        writeln!(self.out, "\n{s} {rule}")
    }

    fn header(&mut self, a: &Analysis) -> io::Result<()> {
        let s = &a.source;
        let title = super::facts::title(a);
        let rule = "═".repeat(self.cfg.width.min(100));
        writeln!(self.out, "{rule}")?;
        self.para(&[(title, Style::new().bold())], "", "")?;
        let mut facts: Vec<String> = Vec::new();
        facts.extend(s.site.clone());
        facts.extend(s.published.clone());
        if !s.authors.is_empty() {
            facts.push(format!("by {}", s.authors.join(", ")));
        }
        facts.push(format!("{} words", word_count(&a.text)));
        facts.push(format!("language {}", s.language));
        let dim = Style::new().effects(Effects::DIMMED);
        self.para(&[(facts.join(" · "), dim)], "", "")?;
        let from = match (&s.url, s.input.as_str()) {
            (Some(url), _) => url.clone(),
            (None, "-") => "standard input".into(),
            (None, input) => input.to_owned(),
        };
        self.para(&[(from, dim)], "", "")?;
        writeln!(self.out, "{rule}")
    }

    fn summary(&mut self, a: &Analysis) -> io::Result<()> {
        self.heading("SUMMARY")?;
        // Techniques.
        let counts = technique_counts(a);
        let weak = a.techniques.iter().filter(|t| !t.reliable).count();
        let mut line = format!(
            "Techniques: {} highlighted passage{}",
            a.techniques.len(),
            plural(a.techniques.len())
        );
        if weak > 0 {
            line.push_str(&format!(
                " ({weak} of weak techniques, marked ?: hints, not findings)"
            ));
        }
        self.para(&[(line, Style::new().bold())], "", "  ")?;
        if let Some(r) = a
            .analysers
            .iter()
            .find(|r| r.name == "techniques" && r.status != AnalyserStatus::Ran)
        {
            let why = r.reason.clone().unwrap_or_else(|| "did not run".into());
            self.plain(&format!("not looked for: {why}"), "  ", "    ")?;
        }
        for (t, c) in &counts {
            let g = guide(*t);
            let code = self.styled(g.code, technique_style(*t, true));
            let col = self.cfg.width.saturating_sub(12).min(38);
            if g.name.width() <= col {
                writeln!(self.out, "  {code} {:<col$} {c:>3}", g.name)?;
            } else {
                let chunks = [
                    (g.code.to_string(), technique_style(*t, true)),
                    (format!(" {} {c}", g.name), Style::new()),
                ];
                self.para(&chunks, "  ", "     ")?;
            }
        }
        // Quotes.
        self.para(
            &[(format!("Quotes: {}", a.quotes.len()), Style::new().bold())],
            "",
            "",
        )?;
        for q in a.quotes.iter().take(SUMMARY_ITEMS) {
            let who = match (&q.actor, &q.speaker) {
                (Some(r), Some(s)) if s.text != r.name => format!("{} (“{}”)", r.name, s.text),
                (Some(r), _) => r.name.clone(),
                (None, Some(s)) => format!("“{}” (unresolved)", s.text),
                (None, None) => "unattributed".into(),
            };
            let elided = if q.elided { " [elided]" } else { "" };
            self.plain(
                &format!("“{}”{elided} — {who}", clip(&q.text, 110)),
                "  • ",
                "    ",
            )?;
        }
        if a.quotes.len() > SUMMARY_ITEMS {
            self.plain(
                &format!("… and {} more", a.quotes.len() - SUMMARY_ITEMS),
                "    ",
                "    ",
            )?;
        }
        // Actors.
        self.para(
            &[(format!("Actors: {}", a.actors.len()), Style::new().bold())],
            "",
            "",
        )?;
        let actors = actors_by_prominence(a);
        for actor in actors.iter().take(SUMMARY_ITEMS) {
            let mut names: Vec<String> = actor_names(actor)
                .into_iter()
                .map(|(n, c)| if c > 1 { format!("{n} ×{c}") } else { n })
                .collect();
            let p = pronoun_count(actor);
            if p > 0 {
                names.push(format!("{p} pronoun{}", plural(p)));
            }
            let chunks = vec![
                (actor.name.clone(), Style::new().bold()),
                (
                    format!(" ({}): {}", kind_name(actor), names.join("; ")),
                    Style::new(),
                ),
            ];
            self.para(&chunks, "  • ", "    ")?;
        }
        if actors.len() > SUMMARY_ITEMS {
            self.plain(
                &format!("… and {} more", actors.len() - SUMMARY_ITEMS),
                "    ",
                "    ",
            )?;
        }
        // Claims.
        self.para(
            &[(
                format!("Claims worth checking: {}", a.claims.len()),
                Style::new().bold(),
            )],
            "",
            "",
        )?;
        for (i, c) in claims_by_score(a)
            .into_iter()
            .take(SUMMARY_ITEMS)
            .enumerate()
        {
            let who: Vec<&str> = c.actors.iter().filter_map(|id| actor_name(a, id)).collect();
            self.plain(
                &clip(&c.text, 200),
                &format!("  {}. {:>3.0}%  ", i + 1, c.score * 100.0),
                "          ",
            )?;
            let mut why = c.reason.clone();
            if !who.is_empty() {
                why.push_str(&format!(" — involves {}", who.join(", ")));
            }
            let dim = Style::new().effects(Effects::DIMMED);
            self.para(&[(why, dim)], "          ", "          ")?;
        }
        Ok(())
    }

    fn article(&mut self, a: &Analysis) -> io::Result<()> {
        self.heading("ARTICLE")?;
        self.plain(
            "Highlights are between [ and ]N; note N under the paragraph gives the technique \
             (code, name), the confidence and why. ? marks a technique the model finds poorly.",
            "",
            "",
        )?;
        writeln!(self.out)?;
        let idx = CharIndex::new(&a.text);
        let n = idx.len();
        let spans = highlight_ranges(a, n);
        // Each note is written under the first paragraph its highlight touches.
        let mut noted = vec![false; spans.len()];
        let mut opened = vec![false; spans.len()];
        for (ps, pe, _) in paragraph_ranges(a, n) {
            let (local, pieces) = laminate_within(&spans, ps, pe);
            let mut chunks: Vec<Chunk> = Vec::new();
            let mut stack: Vec<Style> = Vec::new();
            for e in events(&pieces, ps, pe) {
                match e {
                    Event::Text(s, e) => {
                        let style = stack.last().copied().unwrap_or_default();
                        chunks.push((idx.slice(s, e).to_owned(), style));
                    }
                    Event::Open(p) => {
                        let t = &a.techniques[p.span];
                        let style = technique_style(t.technique, t.reliable);
                        if p.first && !std::mem::replace(&mut opened[p.span], true) {
                            chunks.push(("[".into(), style.bold()));
                        }
                        stack.push(style);
                    }
                    Event::Close(p) => {
                        let style = stack.pop().unwrap_or_default();
                        if p.end == spans[p.span].1 {
                            chunks.push((format!("]{}", p.span + 1), style.bold()));
                        }
                    }
                }
            }
            self.para(&chunks, "  ", "  ")?;
            for &i in &local {
                if !std::mem::replace(&mut noted[i], true) {
                    self.note(i + 1, &a.techniques[i])?;
                }
            }
            writeln!(self.out)?;
        }
        Ok(())
    }

    fn note(&mut self, n: usize, t: &TechniqueSpan) -> io::Result<()> {
        let g = guide(t.technique);
        let label = format!("{}{}", g.code, if t.reliable { "" } else { "?" });
        let weak = if t.reliable {
            String::new()
        } else {
            " · weak technique, a hint".into()
        };
        let chunks = vec![
            (label, technique_style(t.technique, true).bold()),
            (
                format!(
                    " {} · {:.0}% confidence{weak}",
                    g.name,
                    t.confidence * 100.0
                ),
                Style::new(),
            ),
        ];
        let first = format!("    [{n}] ");
        let indent = " ".repeat(first.width());
        self.para(&chunks, &first, &indent)?;
        let dim = Style::new().effects(Effects::DIMMED);
        self.para(&[(t.explanation.clone(), dim)], &indent, &indent)
    }
}

/// The colour style of a technique (underlined; dimmer for weak techniques).
fn technique_style(t: crate::analysis::Technique, reliable: bool) -> Style {
    let i = index(t);
    let mut s = Style::new()
        .fg_color(Some(COLOURS[i % COLOURS.len()].into()))
        .underline();
    if i >= COLOURS.len() {
        s = s.italic();
    }
    if !reliable {
        s = s.effects(s.get_effects() | Effects::DIMMED);
    }
    s
}

fn kind_name(actor: &crate::analysis::Actor) -> String {
    serde_json::to_value(actor.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// At most `max` characters of `s`, with an ellipsis when cut.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut c: String = s.chars().take(max).collect();
        c.push('…');
        c
    }
}

/// Splits styled text into words, spaces and line breaks.
fn tokens(chunks: &[Chunk]) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut word: Vec<Chunk> = Vec::new();
    let flush = |word: &mut Vec<Chunk>, out: &mut Vec<Token>| {
        if !word.is_empty() {
            out.push(Token::Word(std::mem::take(word)));
        }
    };
    for (text, style) in chunks {
        let mut run = String::new();
        for c in text.chars() {
            if c == '\n' || c.is_whitespace() {
                if !run.is_empty() {
                    word.push((std::mem::take(&mut run), *style));
                }
                flush(&mut word, &mut out);
                out.push(if c == '\n' {
                    Token::Break
                } else {
                    Token::Space(*style)
                });
            } else {
                run.push(c);
            }
        }
        if !run.is_empty() {
            word.push((run, *style));
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Greedy wrapping of tokens into lines of at most `width` columns.
fn wrap(tokens: &[Token], width: usize, first: &str, indent: &str) -> Vec<Vec<Chunk>> {
    let mut lines: Vec<Vec<Chunk>> = Vec::new();
    let mut line: Vec<Chunk> = vec![(first.to_owned(), Style::new())];
    let mut col = first.width();
    let mut start = col;
    let mut space: Option<Style> = None;
    let new_line = |lines: &mut Vec<Vec<Chunk>>, line: &mut Vec<Chunk>| {
        lines.push(std::mem::replace(
            line,
            vec![(indent.to_owned(), Style::new())],
        ));
    };
    for tok in tokens {
        match tok {
            Token::Break => {
                new_line(&mut lines, &mut line);
                col = indent.width();
                start = col;
                space = None;
            }
            Token::Space(style) => {
                if col > start {
                    space = Some(*style);
                }
            }
            Token::Word(chunks) => {
                let w: usize = chunks.iter().map(|(t, _)| t.width()).sum();
                if col > start && col + 1 + w > width {
                    new_line(&mut lines, &mut line);
                    col = indent.width();
                    start = col;
                    space = None;
                }
                if let Some(style) = space.take() {
                    line.push((" ".into(), style));
                    col += 1;
                }
                for (t, style) in chunks {
                    // A word wider than the line is broken where it must be.
                    let mut piece = String::new();
                    for c in t.chars() {
                        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                        if col + cw > width && col > start {
                            if !piece.is_empty() {
                                line.push((std::mem::take(&mut piece), *style));
                            }
                            new_line(&mut lines, &mut line);
                            col = indent.width();
                            start = col;
                        }
                        piece.push(c);
                        col += cw;
                    }
                    if !piece.is_empty() {
                        line.push((piece, *style));
                    }
                }
            }
        }
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str, width: usize) -> Vec<String> {
        wrap(&tokens(&[(text.into(), Style::new())]), width, "", "")
            .into_iter()
            .map(|l| l.into_iter().map(|(t, _)| t).collect())
            .collect()
    }

    fn render(a: &crate::analysis::Analysis, color: bool, width: usize) -> String {
        let mut out = Vec::new();
        Text { color, width }.render(a, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// Removes ANSI escape sequences (ESC [ … letter).
    fn strip_ansi(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for d in chars.by_ref() {
                    if d.is_ascii_alphabetic() {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    fn check(a: &crate::analysis::Analysis, width: usize) {
        let plain = render(a, false, width);
        assert!(!plain.contains('\x1b'), "no escape codes without colour");
        for line in plain.lines() {
            assert!(
                line.width() <= width.max(40),
                "{line:?} is wider than {width}"
            );
        }
        for (i, t) in a.techniques.iter().enumerate() {
            assert!(
                plain.contains(&format!("]{}", i + 1)),
                "end marker {}",
                i + 1
            );
            assert!(plain.contains(&format!("[{}] {}", i + 1, guide(t.technique).code)));
        }
        let coloured = render(a, true, width);
        assert!(coloured.contains("\x1b["));
        assert_eq!(
            strip_ansi(&coloured),
            plain,
            "colour only adds escape codes"
        );
    }

    #[test]
    fn seed_report() {
        let Some(a) = crate::render::test_support::seed() else {
            return;
        };
        check(&a, 80);
        let plain = render(&a, false, 80);
        assert!(plain.contains("Zelensky’s ‘Victory plan’"));
        assert!(plain.contains(&format!("Techniques: {} highlighted", a.techniques.len())));
        assert!(plain.contains("Vladimir Zelensky (person): Zelensky"));
        // The article reads the same once the markers are taken out.
        let words: Vec<&str> = a.text.split_whitespace().take(40).collect();
        let shown = plain.replace('[', "");
        assert!(shown.contains(&words[..6].join(" ")));
    }

    #[test]
    fn mixed_scripts_and_narrow_terminals() {
        let a = crate::render::test_support::mixed();
        check(&a, 40);
        check(&a, 100);
        let plain = render(&a, false, 100);
        assert!(plain.contains("[Привет мир]"), "{plain}");
        assert!(plain.contains("Brave officials 😀 promised"));
    }

    #[test]
    fn wraps_by_display_width() {
        assert_eq!(lines("aaa bbb ccc", 7), ["aaa bbb", "ccc"]);
        // CJK characters take two columns each.
        assert_eq!(lines("中文中文 ab", 8), ["中文中文", "ab"]);
        assert_eq!(lines("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(lines("a\nb", 80), ["a", "b"]);
    }
}
