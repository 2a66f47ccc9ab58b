//! `--section` and `--para` checked against the drafts: a selection naming a section or a
//! label that neither draft has is an error that lists what there is, never an empty redline
//! that reads as "nothing changed".

use crate::error::SelectionError;
use crate::model::{Draft, normalize_label, section_matches};
use crate::render::redline::Selection;

/// Labels listed at most in an error.
const NEARBY: usize = 16;

/// Every section and label of the selection exists in at least one of `drafts`.
pub fn check(
    drafts: &[&Draft],
    sections: &[String],
    paras: &[String],
) -> Result<(), SelectionError> {
    for s in sections {
        let found = drafts
            .iter()
            .any(|d| d.sections.iter().any(|x| section_matches(&x.id, s)));
        if !found {
            return Err(unknown_section(drafts, s));
        }
    }
    for p in paras {
        if !drafts.iter().any(|d| d.find(p).is_some()) {
            let want = normalize_label(p);
            // What each draft has near the label (the same in both: said once).
            let mut near: Vec<(String, Vec<String>)> = Vec::new();
            for d in drafts {
                let mut labels = crate::series::nearby_labels(d, &want);
                labels.truncate(NEARBY);
                if !labels.is_empty() && !near.iter().any(|(_, l)| *l == labels) {
                    near.push((shown(&d.name), labels));
                }
            }
            let nearby = match near.as_slice() {
                [] => String::new(),
                [(_, labels)] => format!("; nearby labels: {}", labels.join(", ")),
                _ => {
                    let each: Vec<String> = near
                        .iter()
                        .map(|(name, labels)| format!("{name}: {}", labels.join(", ")))
                        .collect();
                    format!("; nearby labels in {}", each.join("; "))
                }
            };
            return Err(SelectionError::UnknownLabel {
                label: shown(p),
                drafts: names(drafts),
                nearby,
                show: drafts.last().map_or_else(String::new, |d| d.name.clone()),
            });
        }
    }
    Ok(())
}

/// [`check`], then that the sections and labels together select something of the redline
/// (a paragraph of section C and `--section A` select nothing).
pub fn check_redline(r: &crate::diff::Redline, sel: &Selection) -> Result<(), SelectionError> {
    check(&[r.old, r.new], &sel.sections, &sel.paras)?;
    if (sel.sections.is_empty() && sel.paras.is_empty()) || !sel.entries(r).is_empty() {
        return Ok(());
    }
    let mut parts: Vec<String> = sel
        .sections
        .iter()
        .map(|s| format!("--section {}", shown(s)))
        .collect();
    parts.extend(sel.paras.iter().map(|p| format!("--para {}", shown(p))));
    Err(SelectionError::Empty {
        selection: parts.join(" "),
        drafts: names(&[r.old, r.new]),
    })
}

fn unknown_section(drafts: &[&Draft], want: &str) -> SelectionError {
    let mut known: Vec<String> = Vec::new();
    for d in drafts {
        for s in &d.sections {
            if !known.contains(&s.id) {
                known.push(s.id.clone());
            }
        }
    }
    // `C.`, `C)`, `Section C`: the section as the heading writes it.
    let bare = want
        .trim()
        .trim_start_matches("Section ")
        .trim_start_matches("section ")
        .trim_end_matches(['.', ')', ':', ' ']);
    let hint = (bare != want)
        .then(|| known.iter().find(|k| section_matches(k, bare)).cloned())
        .flatten();
    SelectionError::UnknownSection {
        section: shown(want),
        drafts: names(drafts),
        known,
        hint,
    }
}

/// `zero (drafts/zero.md) or rev2 (drafts/rev2.md)`; one name when both are one draft.
fn names(drafts: &[&Draft]) -> String {
    let mut out: Vec<String> = Vec::new();
    for d in drafts {
        let path = d.path.display().to_string();
        let one = if path == d.name {
            shown(&path)
        } else {
            format!("{} ({})", shown(&d.name), shown(&path))
        };
        if !out.contains(&one) {
            out.push(one);
        }
    }
    out.join(" or ")
}

/// A user's text in a message: control characters escaped, never raw on the terminal.
pub fn shown(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}
