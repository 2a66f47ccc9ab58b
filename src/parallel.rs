//! Two independent pieces of work at once, where the machine has a second core: the two
//! drafts parsed side by side; in the alignment, the words read (cut by bytes), the
//! footnotes' words beside the section matching, the candidate queries and the overlaps of a
//! pass, the leftovers judged as parts of splits and merges; the word diffs of a redline and
//! its rendering in two halves. The second piece goes to one helper thread, started on first
//! use and kept for the process; after each piece it stays awake for a moment, waiting for
//! the next (a redline hands work over about eleven times, every 50-300 us).

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The cores this process may use (asked once).
pub fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// The helper thread that takes the second piece of work: started once, on first use, and
/// kept (starting a thread costs about 40 us here; waking a sleeping one 10-36 us, so it is
/// kept awake between pieces: [`linger`]).
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
    // Asked on the helper itself (work within its piece): there is no one to hand `b` to.
    if pool.current_thread_index().is_some() {
        return (a(), b());
    }
    // Any helper still awake from the last handoff stops waiting: work is coming.
    let handoff = HANDOFFS.fetch_add(1, Ordering::SeqCst) + 1;
    let mut second = None;
    let done = AtomicBool::new(false);
    // `a` runs here, `b` on the helper; the scope waits for `b` (and passes on its panic).
    let first = pool.in_place_scope(|s| {
        s.spawn(|_| {
            // Set when `b` ends, by return or by panic.
            let _done = SetOnDrop(&done);
            second = Some(b());
        });
        let first = a();
        // A short wait for `b` is spent awake: put to sleep, this thread takes 7-10 us to
        // wake (measured here); a long one sleeps in the scope. Awake means yielding, not
        // spinning on a pause instruction: on virtual machines like these the host takes a
        // core that spins so away from the process (the whole command took 1 ms longer).
        let t = Instant::now();
        while !done.load(Ordering::Acquire) && t.elapsed() < JOIN_SPIN {
            std::thread::yield_now();
        }
        first
    });
    // The helper stays awake a little for the next handoff (the passes of a redline hand
    // work over every 50-300 us; a sleeping helper takes 10-36 us to wake).
    pool.spawn(move || linger(handoff));
    match second {
        Some(second) => (first, second),
        // The scope returns only once `b` has finished or its panic has been passed on.
        None => unreachable!("the helper's work ended without a result"),
    }
}

/// Handoffs so far (a helper awake for the next one stops waiting when it changes).
static HANDOFFS: AtomicU64 = AtomicU64::new(0);

/// How long the helper stays awake after its work, waiting for more.
const LINGER: Duration = Duration::from_micros(500);

/// How long this thread waits awake for the helper's work to end (the longest pieces of a
/// redline take about 0.4 ms; waiting 1 ms measured the same).
const JOIN_SPIN: Duration = Duration::from_micros(200);

/// Keep the helper thread awake until handoff `after` is followed by another, or for
/// [`LINGER`] at most. It yields while it waits, so other work on the machine runs first.
/// Measured here (a loop of `both` on 20 us of work after a pause): the helper started
/// 10-36 us after the handoff when it had slept, 1.4-3.7 us after when it lingered; the redline
/// end to end, median of 12 loops, 2.61 -> 2.48 ms (BENCHMARKS.md, seventh session).
fn linger(after: u64) {
    let t = Instant::now();
    while HANDOFFS.load(Ordering::Relaxed) == after && t.elapsed() < LINGER {
        std::thread::yield_now();
    }
}

/// Sets its flag when dropped: when the helper's piece ends, whether it returns or panics.
struct SetOnDrop<'a>(&'a AtomicBool);

impl Drop for SetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Release);
    }
}

/// [`both`] when `worth` says the work is large enough to hand half of it to the helper
/// (a handoff costs 2-8 us when the helper is awake), else one after the other on this thread.
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
    fn a_helper_that_slept_or_lingers_takes_the_next_piece() {
        for pause in [0, 50, 2000] {
            std::thread::sleep(std::time::Duration::from_micros(pause));
            assert_eq!(both(|| pause, || pause + 1), (pause, pause + 1));
        }
    }

    #[test]
    fn a_handoff_asked_on_the_helper_runs_there() {
        let (a, (b, c)) = both(|| 1, || both(|| 2, || 3));
        assert_eq!((a, b, c), (1, 2, 3));
    }

    #[test]
    fn handoffs_from_many_threads_keep_their_results() {
        let threads: Vec<_> = (0..4u64)
            .map(|t| {
                std::thread::spawn(move || {
                    (0..200u64).all(|i| both(|| t * 1000 + i, || i * 2) == (t * 1000 + i, i * 2))
                })
            })
            .collect();
        for t in threads {
            assert!(t.join().expect("a thread of the test panicked"));
        }
    }

    #[test]
    fn a_panic_is_passed_on() {
        let r = std::panic::catch_unwind(|| both(|| 1, || -> i32 { panic!("boom") }));
        assert!(r.is_err());
        let r = std::panic::catch_unwind(|| both(|| -> i32 { panic!("boom") }, || 2));
        assert!(r.is_err());
        // The helper is not lost with them.
        assert_eq!(both(|| 3, || 4), (3, 4));
    }
}
