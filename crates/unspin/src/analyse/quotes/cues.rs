//! Reporting cues: the verbs and phrases that introduce what someone said ("said", "told
//! reporters", "insisted", "warned", "according to", "states that"), the verbs that frame a
//! few quoted words ("called it “…”"), and unnamed speakers ("one farmer", "an official").

pub use crate::analyse::speech::SPEECH;

/// Verbs that frame a few quoted words as someone's rather than report a clause ("called
/// the deal “a betrayal”").
pub const FRAMING: &[&str] = &[
    "called",
    "calls",
    "described",
    "describes",
    "dubbed",
    "dubs",
    "branded",
    "brands",
    "labelled",
    "labeled",
    "labels",
    "termed",
    "terms",
    "accused",
    "accuses",
    "hailed",
    "hails",
    "criticised",
    "criticized",
    "slammed",
    "condemned",
];

/// Verbs of speech that may take their content without "that" ("insisted the figures were
/// wrong").
pub const BARE_CLAUSE: &[&str] = &[
    "said",
    "says",
    "insisted",
    "insists",
    "claimed",
    "claims",
    "warned",
    "warns",
    "argued",
    "argues",
    "conceded",
    "concedes",
    "acknowledged",
    "acknowledges",
    "suggested",
    "suggests",
    "predicted",
    "predicts",
    "admitted",
    "admits",
    "added",
    "adds",
    "maintained",
    "maintains",
    "estimated",
    "estimates",
    "agreed",
    "denied",
    "denies",
    "stressed",
    "believes",
    "believed",
    "thinks",
    "thought",
    "hopes",
    "hoped",
    "fears",
    "feared",
    "worries",
    "worried",
    "expects",
    "expected",
    "saying",
    "arguing",
    "insisting",
    "claiming",
    "warning",
    "noting",
    "suggesting",
    "contends",
    "charged",
    "charges",
    "testified",
    "ruled",
    "showed",
    "shows",
    "indicated",
    "indicates",
    "told",
    "tells",
    "wrote",
    "writes",
    "announced",
    "announces",
    "reported",
    "reports",
    "noted",
    "notes",
];

/// Words that open an unnamed speaker ("one farmer", "an official", "a miner").
pub const ANONYMOUS: &[&str] = &[
    "one", "a", "an", "another", "some", "someone", "somebody", "several",
];

/// True when `word` (lower case) is in `list`.
pub fn is(list: &[&str], word: &str) -> bool {
    list.contains(&word)
}
