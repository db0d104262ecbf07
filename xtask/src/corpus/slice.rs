//! The fixed slice of the corpus that CI runs (`corpus/slice.txt`): definition ids, how many
//! of them to compile, and the least that must generate and compile. The thresholds live in
//! the file so that they are raised in the same commit that improves the generator.

/// The parsed slice file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slice {
    /// Definition ids (paths under `api/` without `.json`), sorted.
    pub ids: Vec<String>,
    /// Ids marked `generate-only`: big definitions whose crates would take minutes to compile.
    pub generate_only: Vec<String>,
    /// How many of the generated ones to compile.
    pub compile: usize,
    /// The run fails when fewer generate.
    pub min_generated: usize,
    /// The run fails when fewer of the compiled ones build and pass clippy.
    pub min_compiled: usize,
    /// The `--accept` media type to generate with, if any.
    pub accept: Option<String>,
}

/// Reads `key = value` settings and one id per line; `#` starts a comment.
pub fn parse(text: &str) -> Result<Slice, String> {
    let (mut ids, mut generate_only) = (Vec::new(), Vec::new());
    let (mut compile, mut min_generated, mut min_compiled) = (None, None, None);
    let mut accept = None;
    for (number, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or_default().trim();
        if line.is_empty() {
            continue;
        }
        let at = || format!("corpus/slice.txt line {}", number + 1);
        if let Some(media) = line.strip_prefix("accept") {
            if let Some(media) = media.trim_start().strip_prefix('=') {
                accept = Some(media.trim().to_owned());
                continue;
            }
        }
        if let Some((key, value)) = line.split_once('=') {
            let value: usize = value
                .trim()
                .parse()
                .map_err(|e| format!("{}: `{}` is not a count: {e}", at(), value.trim()))?;
            let slot = match key.trim() {
                "compile" => &mut compile,
                "min-generated" => &mut min_generated,
                "min-compiled" => &mut min_compiled,
                other => return Err(format!("{}: unknown setting `{other}`", at())),
            };
            *slot = Some(value);
        } else {
            let mut words = line.split_whitespace();
            let id = words.next().unwrap_or_default().to_owned();
            match words.collect::<Vec<_>>().as_slice() {
                [] => {}
                ["generate-only"] => generate_only.push(id.clone()),
                _ => return Err(format!("{}: `{line}` is not a definition id", at())),
            }
            ids.push(id);
        }
    }
    ids.sort();
    if let Some(twice) = ids.windows(2).find(|w| w[0] == w[1]) {
        return Err(format!("corpus/slice.txt: `{}` is listed twice", twice[0]));
    }
    let need = |value: Option<usize>, key: &str| {
        value.ok_or_else(|| format!("corpus/slice.txt: missing `{key} = N`"))
    };
    let slice = Slice {
        compile: need(compile, "compile")?,
        min_generated: need(min_generated, "min-generated")?,
        min_compiled: need(min_compiled, "min-compiled")?,
        accept,
        ids,
        generate_only,
    };
    if slice.min_generated > slice.ids.len() || slice.min_compiled > slice.compile {
        return Err("corpus/slice.txt: a threshold is above what the slice can reach".into());
    }
    Ok(slice)
}

/// What the slice run must not see: panics, runs over a bound, or fewer successes than the
/// thresholds. Each failure is one sentence.
pub fn failures(
    slice: &Slice,
    generated: usize,
    over_bound_or_panicked: &[String],
    compiled: usize,
) -> Vec<String> {
    let mut failures: Vec<String> = over_bound_or_panicked.to_vec();
    if generated < slice.min_generated {
        failures.push(format!(
            "{generated} of {} definitions generated; the slice requires at least {}",
            slice.ids.len(),
            slice.min_generated
        ));
    }
    if compiled < slice.min_compiled {
        failures.push(format!(
            "{compiled} generated crates built and passed clippy; the slice requires at least {}",
            slice.min_compiled
        ));
    }
    failures
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
# a comment
accept = application/json
compile = 2
min-generated = 1
min-compiled = 1

b.com/v1   # why b
a.com
c.com generate-only # big
";

    #[test]
    fn settings_and_ids_are_read_and_ids_sorted() {
        let slice = parse(TEXT).unwrap();
        assert_eq!(slice.ids, ["a.com", "b.com/v1", "c.com"]);
        assert_eq!(slice.generate_only, ["c.com"]);
        let e = parse(&format!("{TEXT}d.com twice\n")).unwrap_err();
        assert!(e.contains("`d.com twice` is not a definition id"), "{e}");
        assert_eq!(
            (slice.compile, slice.min_generated, slice.min_compiled),
            (2, 1, 1)
        );
        assert_eq!(slice.accept.as_deref(), Some("application/json"));
        assert_eq!(
            parse(&TEXT.replace("accept = application/json", ""))
                .unwrap()
                .accept,
            None
        );
    }

    #[test]
    fn a_missing_setting_or_a_duplicate_is_an_error() {
        let e = parse("compile = 1\nmin-compiled = 0\na\n").unwrap_err();
        assert!(e.contains("min-generated"), "{e}");
        let e = parse(&format!("{TEXT}a.com\n")).unwrap_err();
        assert!(e.contains("`a.com` is listed twice"), "{e}");
        let e = parse(&TEXT.replace("min-generated = 1", "min-generated = 4")).unwrap_err();
        assert!(e.contains("threshold"), "{e}");
        let e = parse(&TEXT.replace("compile = 2", "compile = two")).unwrap_err();
        assert!(e.contains("line 3"), "{e}");
    }

    #[test]
    fn the_run_fails_below_the_thresholds_or_on_any_panic() {
        let slice = parse(TEXT).unwrap();
        assert!(failures(&slice, 1, &[], 1).is_empty());
        assert_eq!(failures(&slice, 0, &[], 1).len(), 1);
        assert_eq!(failures(&slice, 1, &[], 0).len(), 1);
        let panicked = ["a.com panicked: boom".to_owned()];
        assert_eq!(failures(&slice, 2, &panicked, 2), panicked);
    }
}
