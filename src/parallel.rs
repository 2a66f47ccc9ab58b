//! Two independent pieces of work at once, where the machine has a second core: the two
//! drafts read and parsed side by side, the word diffs of a redline in two halves.

use std::sync::OnceLock;

/// The cores this process may use (asked once).
pub fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Run `a` and `b`, `b` on a second thread when there is a second core; a panic in either
/// is passed on as it is.
pub fn both<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if cores() < 2 {
        return (a(), b());
    }
    std::thread::scope(|s| {
        let second = s.spawn(b);
        let first = a();
        let second = second
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (first, second)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
