//! Two independent pieces of work at once, where the machine has a second core: the two
//! drafts parsed side by side; in the alignment, the words read (cut by bytes), the
//! footnotes' words beside the section matching, the candidate queries and the overlaps of a
//! pass, the leftovers judged as parts of splits and merges; the word diffs of a redline and
//! its rendering in two halves. The second piece goes to one helper thread, started on first
//! use and kept for the process.

use std::sync::OnceLock;

/// The cores this process may use (asked once).
pub fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// The helper thread that takes the second piece of work: started once, on first use, and
/// kept (waking it costs a few microseconds; starting a thread costs about 40 here).
fn helper() -> Option<&'static rayon::ThreadPool> {
    static HELPER: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    HELPER
        .get_or_init(|| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .thread_name(|_| "oewg-diff helper".into())
                .build()
                .ok()
        })
        .as_ref()
}

/// Run `a` and `b`, `b` on a second thread when there is a second core; a panic in either
/// is passed on as it is. `a` always runs on this thread (so it may hold what cannot be
/// shared between threads).
pub fn both<A, B: Send>(a: impl FnOnce() -> A, b: impl FnOnce() -> B + Send) -> (A, B) {
    // One core: no helper thread is started at all.
    if cores() < 2 {
        return (a(), b());
    }
    let Some(pool) = helper() else {
        return (a(), b());
    };
    let mut second = None;
    // `a` runs here, `b` on the helper; the scope waits for `b` (and passes on its panic).
    let first = pool.in_place_scope(|s| {
        s.spawn(|_| second = Some(b()));
        a()
    });
    match second {
        Some(second) => (first, second),
        // The scope returns only once `b` has finished or its panic has been passed on.
        None => unreachable!("the helper's work ended without a result"),
    }
}

/// [`both`] when `worth` says the work is large enough to hand half of it to the helper
/// (a handoff costs about 10 us), else one after the other on this thread.
pub fn both_if<A, B: Send>(
    worth: bool,
    a: impl FnOnce() -> A,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if worth { both(a, b) } else { (a(), b()) }
}

/// Where to cut pieces of work, given their costs, into two runs of about equal cost: the
/// first piece of the second run (the length when there is none).
pub fn middle(costs: &[usize]) -> usize {
    let total: usize = costs.iter().sum();
    let mut acc = 0;
    costs
        .iter()
        .position(|&c| {
            acc += c;
            2 * acc >= total
        })
        .map_or(costs.len(), |p| p + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn middle_halves_the_cost() {
        assert_eq!(middle(&[]), 0);
        assert_eq!(middle(&[5]), 1);
        assert_eq!(middle(&[1, 1, 1, 1]), 2);
        assert_eq!(middle(&[10, 1, 1, 1]), 1);
        assert_eq!(middle(&[1, 1, 1, 10]), 4);
    }

    #[test]
    fn both_results_in_order() {
        assert_eq!(both(|| 1, || "two"), (1, "two"));
    }

    #[test]
    fn a_panic_is_passed_on() {
        let r = std::panic::catch_unwind(|| both(|| 1, || -> i32 { panic!("boom") }));
        assert!(r.is_err());
    }
}
