//! Byte scans shaped so that the compiler turns them into vector instructions. Escaping and
//! the check for control characters look at every byte of every page; a loop that stops at
//! the first byte it wants runs one byte at a time.

/// How many bytes [`next_run`] hands out at a time.
pub const CHUNK: usize = 32;

/// Whether `wanted` picks any byte of `bytes`.
///
/// Every byte is tested, without stopping at the first one picked: that is the loop the
/// compiler vectorises, and it is faster on text where picked bytes are rare. `wanted` should
/// be comparisons without branches (`<`, `matches!`).
#[inline(always)]
pub fn any_wanted(bytes: &[u8], wanted: impl Fn(u8) -> bool) -> bool {
    bytes.iter().fold(false, |any, &b| any | wanted(b))
}

/// The start of each run of [`CHUNK`] bytes of `bytes` from `from` that holds a byte `wanted`
/// picks, with the run's end (`bytes.len()` at most). Runs with no such byte are skipped
/// with [`any_wanted`]; the caller looks at the bytes of the runs it is given one by one,
/// and may move past a run's end, to where the next one starts.
#[inline(always)]
pub fn next_run(bytes: &[u8], from: usize, wanted: impl Fn(u8) -> bool) -> Option<(usize, usize)> {
    let mut start = from;
    while start < bytes.len() {
        let end = bytes.len().min(start + CHUNK);
        if any_wanted(&bytes[start..end], &wanted) {
            return Some((start, end));
        }
        start = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_holds_the_first_wanted_byte_and_none_is_skipped() {
        let wanted = |b: u8| matches!(b, b'<' | b'&');
        for len in [0, 1, 31, 32, 33, 64, 65, 100] {
            for at in 0..len {
                let mut bytes = vec![b'a'; len];
                bytes[at] = b'<';
                if at + 40 < len {
                    bytes[at + 40] = b'&';
                }
                assert!(any_wanted(&bytes, wanted));
                for from in 0..=len {
                    let first = (from..len).find(|&i| wanted(bytes[i]));
                    let run = next_run(&bytes, from, wanted);
                    match (first, run) {
                        (None, None) => {}
                        (Some(first), Some((start, end))) => {
                            assert!(start <= first && first < end, "{len} {at} {from}");
                            assert_eq!(start, from + (first - from) / CHUNK * CHUNK);
                            assert_eq!(end, len.min(start + CHUNK));
                        }
                        _ => panic!("{len} {at} {from}: {first:?} {run:?}"),
                    }
                }
            }
            assert!(!any_wanted(&vec![b'a'; len], wanted));
            assert_eq!(next_run(&vec![b'a'; len], 0, wanted), None);
        }
        assert_eq!(next_run(b"abc", 7, wanted), None);
    }
}
