//! The reason given with each claim: the cues that drove its score, in plain words.

use super::features::{ClauseFeatures, Cue, Evidence};
use super::scorer::Scored;

/// How many cues a reason names.
const MAX_CUES: usize = 3;

fn quoted(words: &[String]) -> String {
    words
        .iter()
        .filter(|w| !w.is_empty())
        .map(|w| format!("'{w}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One cue in plain words, with the words that triggered it.
fn describe(e: &Evidence) -> String {
    let w = quoted(&e.words);
    match e.cue {
        Cue::PastEvent => format!("reports an event ({w})"),
        Cue::PerfectEvent => format!("reports something done ({w})"),
        Cue::Ongoing => format!("reports something going on ({w})"),
        Cue::Quantity => format!("gives a figure ({w})"),
        Cue::NumberWord => format!("gives a number ({w})"),
        Cue::Date => format!("gives a date ({w})"),
        Cue::Names => format!("names {}", e.words.join(", ")),
        Cue::Attribution => format!("attributes it to a source ({w})"),
        Cue::Comparison => format!("makes a comparison ({w})"),
        Cue::Causal => format!("states a cause ({w})"),
        Cue::Future => format!("looks ahead ({w})"),
        Cue::Hedge => format!("hedged ({w})"),
        Cue::ReportedHedge => format!("the source hedges ({w})"),
        Cue::Evaluative => format!("evaluative wording ({w})"),
        Cue::Mental => format!("about what someone thinks or knows ({w})"),
        Cue::Personal => format!("the writer's own voice ({w})"),
        Cue::Question => "a question".to_owned(),
        Cue::Call => format!("a call to action ({w})"),
        Cue::Idiom => format!("a figure of speech, not a count ({w})"),
        Cue::Conditional => format!("conditional ({w})"),
        Cue::Exclamation => "an exclamation".to_owned(),
        Cue::Fragment => "no verb stating anything".to_owned(),
        Cue::Heading => "a headline".to_owned(),
    }
}

/// The words and word pairs that moved a learned score one way, quoted.
fn terms(s: &Scored, positive: bool) -> Option<String> {
    let t: Vec<String> = s
        .terms
        .iter()
        .filter(|(_, c)| (*c > 0.0) == positive)
        .take(MAX_CUES)
        .map(|(w, _)| format!("'{w}'"))
        .collect();
    (!t.is_empty()).then(|| t.join(", "))
}

/// A short reason for a clause's score: the strongest cues for it (and, when one weighs
/// heavily, against it). With the learned model the verdict carries the probability and
/// the reason names the words that weighed most in the debates it learned from.
pub fn reason(f: &ClauseFeatures, s: &Scored) -> String {
    let evidence = |cue: Cue| f.evidence.iter().find(|e| e.cue == cue);
    let pick = |positive: bool| -> Vec<String> {
        s.contributions
            .iter()
            .filter(|(_, c)| (*c > 0.0) == positive && *c != 0.0)
            .take(MAX_CUES)
            .filter_map(|(cue, _)| evidence(*cue).map(describe))
            .collect()
    };
    let (mut pros, mut cons) = (pick(true), pick(false));
    if s.learned {
        if let Some(t) = terms(s, true) {
            pros.push(format!("wording often checked ({t})"));
        }
        if let Some(t) = terms(s, false) {
            cons.push(format!("wording rarely checked ({t})"));
        }
        let pct = (s.score * 100.0).round();
        let verdict = if s.score >= 0.5 {
            "Checkable"
        } else if s.score >= super::REPORT_THRESHOLD {
            "Borderline"
        } else {
            "Low"
        };
        let (first, second) = if s.score >= super::REPORT_THRESHOLD {
            (&pros, &cons)
        } else {
            (&cons, &pros)
        };
        let mut r = format!("{verdict} ({pct}%)");
        if first.is_empty() {
            r.push_str(if s.score >= super::REPORT_THRESHOLD {
                ": no single strong cue"
            } else {
                ": nothing specific to check (no event, figure, date, name or source)"
            });
        } else {
            r.push_str(&format!(": {}", first.join("; ")));
        }
        if let Some(c) = second.first() {
            r.push_str(&format!("; but {c}"));
        }
        return r;
    }
    if s.score >= 0.4 && !pros.is_empty() {
        let verdict = if s.score >= 0.5 {
            "Checkable"
        } else {
            "Borderline"
        };
        let mut r = format!("{verdict}: {}", pros.join("; "));
        if let Some(c) = cons.first() {
            r.push_str(&format!("; but {c}"));
        }
        r
    } else if cons.is_empty() {
        "Low: nothing specific to check (no event, figure, date, name or source)".to_owned()
    } else {
        format!("Low: {}", cons.join("; "))
    }
}
