//! The terminal report: a header, a one-screen summary, then the article with each
//! technique highlight in colour *and* between markers (`[` … `]3`), so that it reads the
//! same without colour, with the numbered notes under each paragraph. Sentences the
//! techniques model marks likely persuasive get [`MARK`] in the left margin of their lines.

use std::io::{self, Write};

use anstyle::{AnsiColor, Effects, Style};
use unicode_width::UnicodeWidthStr;

use super::Render;
use super::facts::{
    CharIndex, actor_name, actor_names, actors_by_prominence, highlight_ranges, paragraph_ranges,
    persuasive_counts, pronoun_count, shown_claims, technique_counts, word_count,
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

/// The margin mark of a line holding (part of) a sentence marked likely persuasive. The
/// report draws its rules and bullets in Unicode with or without colour, and so this mark;
/// colour only makes it bold magenta.
pub const MARK: char = '▌';

/// One piece of a line: text and its style.
type Chunk = (String, Style);

/// What a paragraph is made of, for wrapping.
enum Token {
    /// Characters that must stay on one line; true when some belong to a marked sentence.
    Word(Vec<Chunk>, bool),
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
        self.para_marked(chunks, &[], first, indent)
    }

    /// [`Self::para`], where `marked[i]` says that `chunks[i]` belongs to a sentence marked
    /// likely persuasive (missing entries are false): a line holding a word of one starts
    /// with [`MARK`] in place of the first column of its margin.
    fn para_marked(
        &mut self,
        chunks: &[Chunk],
        marked: &[bool],
        first: &str,
        indent: &str,
    ) -> io::Result<()> {
        for mut line in wrap(&tokens(chunks, marked), self.cfg.width, first, indent) {
            if line.marked && line.chunks.first().is_some_and(|(m, _)| m.starts_with(' ')) {
                // The mark takes the margin's first column; the rest stays unstyled.
                let rest = line.chunks[0].0[1..].to_owned();
                line.chunks[0] = (MARK.to_string(), mark_style());
                line.chunks.insert(1, (rest, Style::new()));
            }
            // Neighbouring pieces in one style are written as one.
            let mut merged: Vec<Chunk> = Vec::new();
            for (t, st) in line.chunks {
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
        // The sentence layer.
        let (persuasive, scored) = persuasive_counts(a);
        if scored > 0 {
            self.para(
                &[(
                    format!(
                        "Persuasion: {persuasive} of {scored} sentence{} likely persuasive",
                        plural(scored)
                    ),
                    Style::new().bold(),
                )],
                "",
                "  ",
            )?;
        }
        if persuasive > 0 {
            self.para(
                &[
                    (MARK.to_string(), mark_style()),
                    (format!(" in the margin: {LEGEND}"), Style::new()),
                ],
                "  ",
                "    ",
            )?;
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
            let who = match q.confidence {
                Some(p) if p < crate::analyse::quotes::UNCERTAIN_BELOW && q.speaker.is_some() => {
                    format!("{who} [speaker uncertain, {:.0}%]", p * 100.0)
                }
                _ => who,
            };
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
        let shown = shown_claims(a);
        let others = a.claims.len() - shown.len();
        let mut title = format!("Claims worth checking: {}", shown.len());
        if others > 0 {
            title.push_str(&format!(
                " (score at least {:.0}%; {others} other statement{} below it, listed in the JSON)",
                crate::analyse::claims::REPORT_THRESHOLD * 100.0,
                if others == 1 { "" } else { "s" }
            ));
        }
        self.para(&[(title, Style::new().bold())], "", "")?;
        for (i, c) in shown.into_iter().take(SUMMARY_ITEMS).enumerate() {
            let who: Vec<&str> = c.actors.iter().filter_map(|id| actor_name(a, id)).collect();
            // In a transcript, who says it: "TRUMP: We closed up 60,000 factories."
            let said = match &c.speaker {
                Some(speaker) => format!("{speaker}: {}", c.text),
                None => c.text.clone(),
            };
            self.plain(
                &clip(&said, 200),
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
        if persuasive_counts(a).0 > 0 {
            self.para(
                &[
                    (MARK.to_string(), mark_style()),
                    (format!(" in the left margin: {LEGEND}."), Style::new()),
                ],
                "",
                "",
            )?;
        }
        writeln!(self.out)?;
        let idx = CharIndex::new(&a.text);
        let n = idx.len();
        let spans = highlight_ranges(a, n);
        let persuasive = persuasive_points(a, n);
        // Each note is written under the first paragraph its highlight touches.
        let mut noted = vec![false; spans.len()];
        let mut opened = vec![false; spans.len()];
        for (ps, pe, _) in paragraph_ranges(a, n) {
            let (local, pieces) = laminate_within(&spans, ps, pe);
            let mut chunks: Vec<Chunk> = Vec::new();
            // Whether each chunk belongs to a sentence marked likely persuasive (a marker
            // goes with the code point it stands next to).
            let mut marked: Vec<bool> = Vec::new();
            let at = |i: usize| persuasive.get(i).copied().unwrap_or(false);
            let mut stack: Vec<Style> = Vec::new();
            for e in events(&pieces, ps, pe) {
                match e {
                    Event::Text(s, e) => {
                        let style = stack.last().copied().unwrap_or_default();
                        // Split where the text enters or leaves a marked sentence.
                        let mut from = s;
                        while from < e {
                            let m = at(from);
                            let to = (from + 1..e).find(|&i| at(i) != m).unwrap_or(e);
                            chunks.push((idx.slice(from, to).to_owned(), style));
                            marked.push(m);
                            from = to;
                        }
                    }
                    Event::Open(p) => {
                        let t = &a.techniques[p.span];
                        let style = technique_style(t.technique, t.reliable);
                        if p.first && !std::mem::replace(&mut opened[p.span], true) {
                            chunks.push(("[".into(), style.bold()));
                            marked.push(at(p.start));
                        }
                        stack.push(style);
                    }
                    Event::Close(p) => {
                        let style = stack.pop().unwrap_or_default();
                        if p.end == spans[p.span].1 {
                            chunks.push((format!("]{}", p.span + 1), style.bold()));
                            marked.push(at(p.end.saturating_sub(1)));
                        }
                    }
                }
            }
            self.para_marked(&chunks, &marked, "  ", "  ")?;
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

/// What [`MARK`] means, for the legends.
const LEGEND: &str = "sentence likely persuasive (P ≥ the model's threshold)";

/// The style of [`MARK`].
fn mark_style() -> Style {
    Style::new()
        .fg_color(Some(AnsiColor::Magenta.into()))
        .bold()
}

/// For each of the text's `n` code points, whether it lies in a sentence marked likely
/// persuasive.
fn persuasive_points(a: &Analysis, n: usize) -> Vec<bool> {
    let mut v = vec![false; n];
    for s in &a.sentences {
        if s.persuasion.as_ref().is_some_and(|p| p.persuasive) {
            v[s.start.min(n)..s.end.min(n).max(s.start.min(n))].fill(true);
        }
    }
    v
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

/// Splits styled text into words, spaces and line breaks; a word is marked when a
/// non-blank piece of it comes from a chunk marked in `marked` (missing entries are false).
fn tokens(chunks: &[Chunk], marked: &[bool]) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut word: Vec<Chunk> = Vec::new();
    let mut word_marked = false;
    let flush = |word: &mut Vec<Chunk>, word_marked: &mut bool, out: &mut Vec<Token>| {
        if !word.is_empty() {
            out.push(Token::Word(
                std::mem::take(word),
                std::mem::take(word_marked),
            ));
        }
    };
    for (i, (text, style)) in chunks.iter().enumerate() {
        let m = marked.get(i).copied().unwrap_or(false);
        let mut run = String::new();
        for c in text.chars() {
            if c == '\n' || c.is_whitespace() {
                if !run.is_empty() {
                    word.push((std::mem::take(&mut run), *style));
                    word_marked |= m;
                }
                flush(&mut word, &mut word_marked, &mut out);
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
            word_marked |= m;
        }
    }
    flush(&mut word, &mut word_marked, &mut out);
    out
}

/// One wrapped line: its margin (the first chunk) and text.
struct Line {
    chunks: Vec<Chunk>,
    /// True when a word of the line is marked.
    marked: bool,
}

impl Line {
    fn new(margin: &str) -> Self {
        Line {
            chunks: vec![(margin.to_owned(), Style::new())],
            marked: false,
        }
    }

    fn push(&mut self, chunk: Chunk) {
        self.chunks.push(chunk);
    }
}

/// Greedy wrapping of tokens into lines of at most `width` columns.
fn wrap(tokens: &[Token], width: usize, first: &str, indent: &str) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut line = Line::new(first);
    let mut col = first.width();
    let mut start = col;
    let mut space: Option<Style> = None;
    let new_line = |lines: &mut Vec<Line>, line: &mut Line| {
        lines.push(std::mem::replace(line, Line::new(indent)));
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
            Token::Word(chunks, marked) => {
                let w: usize = chunks.iter().map(|(t, _)| t.width()).sum();
                if col > start && col + 1 + w > width {
                    new_line(&mut lines, &mut line);
                    col = indent.width();
                    start = col;
                    space = None;
                }
                line.marked |= *marked;
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
                            line.marked |= *marked;
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
        wrap(&tokens(&[(text.into(), Style::new())], &[]), width, "", "")
            .into_iter()
            .map(|l| l.chunks.into_iter().map(|(t, _)| t).collect())
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

    /// The article part of a report, with the legend line left out.
    fn article_part(report: &str) -> Vec<String> {
        let at = report.find("\nARTICLE").expect("an article");
        let mut lines: Vec<String> = report[at..].lines().map(str::to_owned).collect();
        // Legend lines: from the one starting with the mark to the blank line.
        if let Some(i) = lines.iter().position(|l| l.starts_with("▌ in the left")) {
            let j = (i..lines.len()).find(|&j| lines[j].is_empty()).unwrap();
            lines.drain(i..j);
        }
        lines
    }

    #[test]
    fn marks_persuasive_sentences_in_the_margin() {
        let a = crate::render::test_support::mixed_with_sentence_layer();
        let mut without = a.clone();
        for s in &mut without.sentences {
            s.persuasion = None;
        }
        for width in [40, 60, 100] {
            check(&a, width);
            let plain = render(&a, false, width);
            let flat = plain.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                flat.contains("Persuasion: 1 of 2 sentences likely persuasive"),
                "{plain}"
            );
            assert!(flat.contains("▌ in the margin: sentence likely persuasive (P ≥"));
            assert!(flat.contains("▌ in the left margin: sentence likely persuasive"));
            // The first paragraph is the marked sentence: each of its lines has the mark,
            // its notes and the other paragraphs do not.
            let article = article_part(&plain);
            let blocks: Vec<&[String]> = article.split(|l| l.is_empty()).collect();
            let first = blocks
                .iter()
                .position(|b| b.iter().any(|l| l.contains("officials")))
                .expect("the first paragraph");
            let mut marked = 0;
            for (i, block) in blocks.iter().enumerate() {
                for line in block.iter() {
                    if i == first && !line.starts_with("    ") {
                        assert!(line.starts_with("▌ "), "{line:?} is not marked");
                        marked += 1;
                    } else {
                        assert!(!line.contains('▌'), "{line:?} is marked");
                    }
                }
            }
            assert!(marked >= 1);
            if width == 40 {
                assert!(marked >= 2, "wrapped, the sentence takes several lines");
            }
            // Apart from the mark, the article is written exactly as without the layer:
            // highlight markers, wrapping and notes are untouched.
            let unmarked: Vec<String> = article
                .iter()
                .map(|l| match l.strip_prefix('▌') {
                    Some(rest) => format!(" {rest}"),
                    None => l.clone(),
                })
                .collect();
            assert_eq!(unmarked, article_part(&render(&without, false, width)));
        }
        // Coloured, the mark is styled (and stripped of colour, the same: see `check`).
        let coloured = render(&a, true, 60);
        assert!(coloured.contains(&format!("{}▌", mark_style().render())));
    }

    #[test]
    fn no_mark_without_the_layer_or_when_not_persuasive() {
        let mut a = crate::render::test_support::mixed_with_sentence_layer();
        a.sentences[0].persuasion.as_mut().unwrap().persuasive = false;
        let plain = render(&a, false, 80);
        assert!(!plain.contains('▌'), "{plain}");
        assert!(plain.contains("Persuasion: 0 of 2 sentences likely persuasive"));
        for s in &mut a.sentences {
            s.persuasion = None;
        }
        let plain = render(&a, false, 80);
        assert!(!plain.contains('▌'));
        assert!(
            !plain.contains("Persuasion:"),
            "no sentence layer, no count"
        );
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
