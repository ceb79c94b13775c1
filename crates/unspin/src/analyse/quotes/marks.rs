//! Pairs quotation marks: curly and straight, double and single, guillemets, with quotes
//! inside quotes and quotes that run over paragraphs (the English convention of an
//! opening mark at each new paragraph and no closing mark before the break).
//!
//! A right single mark `’` is also the apostrophe: it closes a single quote only when no
//! letter follows it and a single quote is open.

/// One quoted stretch of text, in code points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marked {
    /// The opening mark.
    pub open: usize,
    /// The closing mark, or `None` when the quote runs to the end of its paragraph.
    pub close: Option<usize>,
    /// First code point inside the marks (spaces skipped).
    pub start: usize,
    /// One past the last code point inside the marks (spaces skipped).
    pub end: usize,
    /// Double marks (“”, "", «») rather than single ones (‘’, '').
    pub double: bool,
    /// Number of quotes this one lies inside (0 for a top-level quote).
    pub depth: usize,
}

/// What a character can be as a quotation mark.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Open,
    Close,
    /// Straight marks: decided by the neighbours.
    Either,
}

fn mark(c: char) -> Option<(bool, Role)> {
    match c {
        '“' | '„' | '«' => Some((true, Role::Open)),
        '”' | '»' => Some((true, Role::Close)),
        '"' => Some((true, Role::Either)),
        '‘' | '‚' => Some((false, Role::Open)),
        '’' => Some((false, Role::Close)),
        '\'' => Some((false, Role::Either)),
        _ => None,
    }
}

/// Finds every quoted stretch in `chars[from..to]` (one paragraph), in order of their
/// opening marks.
pub fn find_in(chars: &[char], from: usize, to: usize) -> Vec<Marked> {
    let mut out: Vec<Marked> = Vec::new();
    // Open quotes: (index into out, double).
    let mut stack: Vec<(usize, bool)> = Vec::new();
    let mut skip = false;
    for i in from..to {
        if std::mem::take(&mut skip) {
            continue;
        }
        let c = chars[i];
        let Some((mut double, mut role)) = mark(c) else {
            continue;
        };
        // Two straight single marks stand for a double one ('' in some newspapers' text).
        let width = if c == '\'' && i + 1 < to && chars[i + 1] == '\'' {
            (double, role) = (true, Role::Either);
            skip = true;
            2
        } else {
            1
        };
        let prev = if i > from { Some(chars[i - 1]) } else { None };
        let next = chars.get(i + width).copied().filter(|_| i + width < to);
        let letter_before = prev.is_some_and(char::is_alphanumeric);
        let letter_after = next.is_some_and(char::is_alphanumeric);
        // Apostrophes inside words and after plural possessives are not marks.
        if !double && letter_before && letter_after {
            continue;
        }
        let open_here = stack.iter().rposition(|&(_, d)| d == double);
        let opens = match role {
            Role::Open => true,
            Role::Close => false,
            Role::Either => {
                let space_before = prev.is_none_or(|p| p.is_whitespace() || "([{—–-/".contains(p));
                let space_after = next.is_none_or(char::is_whitespace);
                if double {
                    match open_here {
                        Some(_) => space_before && !space_after && prev.is_none(),
                        None => !space_after,
                    }
                } else {
                    open_here.is_none() && space_before && letter_after
                }
            }
        };
        if opens {
            if !double && letter_before {
                continue;
            }
            let depth = stack.len();
            out.push(Marked {
                open: i,
                close: None,
                start: i + width,
                end: to,
                double,
                depth,
            });
            stack.push((out.len() - 1, double));
        } else if let Some(k) = open_here {
            if !double && letter_after {
                continue;
            }
            let (idx, _) = stack[k];
            out[idx].close = Some(i);
            out[idx].end = i;
            // Quotes opened inside this one and never closed end here too.
            for &(j, _) in &stack[k + 1..] {
                out[j].end = i;
            }
            stack.truncate(k);
        }
    }
    // Trim spaces inside the marks; drop empty stretches and unclosed single quotes (more
    // likely apostrophes than quotes).
    out.retain_mut(|m| {
        while m.start < m.end && chars[m.start].is_whitespace() {
            m.start += 1;
        }
        while m.end > m.start && chars[m.end - 1].is_whitespace() {
            m.end -= 1;
        }
        m.start < m.end && (m.double || m.close.is_some())
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quotes(s: &str) -> Vec<(String, bool, usize, bool)> {
        let chars: Vec<char> = s.chars().collect();
        find_in(&chars, 0, chars.len())
            .into_iter()
            .map(|m| {
                (
                    chars[m.start..m.end].iter().collect(),
                    m.double,
                    m.depth,
                    m.close.is_some(),
                )
            })
            .collect()
    }

    #[test]
    fn curly_straight_nested_and_apostrophes() {
        let q = quotes("“They said ‘no’ and we didn’t argue,” she said. \"Fine,\" he said.");
        assert_eq!(
            q[0],
            ("They said ‘no’ and we didn’t argue,".into(), true, 0, true)
        );
        assert_eq!(q[1], ("no".into(), false, 1, true));
        assert_eq!(q[2], ("Fine,".into(), true, 0, true));
        assert_eq!(q.len(), 3);
        let q = quotes("The teachers’ union called it a ‘grain war’ in Zelensky’s words.");
        assert_eq!(q, vec![("grain war".into(), false, 0, true)]);
        let q = quotes("''We won,'' Mr. Obama said. ''It's 'ours' now.''");
        assert_eq!(q[0], ("We won,".into(), true, 0, true));
        assert_eq!(q[1], ("It's 'ours' now.".into(), true, 0, true));
        assert_eq!(q[2], ("ours".into(), false, 1, true));
        let q = quotes("'The defences held,' said Ms Marsh. 'But the next one won't,' she warned.");
        assert_eq!(q[0].0, "The defences held,");
        assert_eq!(q[1].0, "But the next one won't,");
    }

    #[test]
    fn an_unclosed_quote_runs_to_the_paragraph_end() {
        let q = quotes("“We evacuated eleven towns. Some had never seen a fire.");
        assert_eq!(
            q,
            vec![(
                "We evacuated eleven towns. Some had never seen a fire.".into(),
                true,
                0,
                false
            )]
        );
    }
}
