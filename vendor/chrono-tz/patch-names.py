#!/usr/bin/env python3
"""Names every span's abbreviation in src/prebuilt/timezones.rs by an index into one table
(src/prebuilt/names.rs) instead of by a &'static str: see PATCHED.md."""
import re

path = "src/prebuilt/timezones.rs"
text = open(path).read()
names = []


def index(match):
    name = match.group(1)
    if name not in names:
        names.append(name)
    return f"name: Name({names.index(name) + 1})"


text = re.sub(r'name: Some\("([^"]*)"\)', index, text).replace("name: None", "name: Name(0)")
text = text.replace(
    "use crate::timezone_impl::{TimeSpans, FixedTimespanSet, FixedTimespan};",
    "use crate::timezone_impl::{TimeSpans, FixedTimespanSet, FixedTimespan, Name};",
)
assert "name: Some" not in text and len(names) < 256
open(path, "w").write(text)
table = [
    "// Every zone abbreviation of the generated tables, by the index a span names it with",
    "// (0: none). Written by patch-names.py from timezones.rs.",
    "",
    f"pub(crate) static NAMES: [Option<&str>; {len(names) + 1}] = [",
    "    None,",
    *[f'    Some("{name}"),' for name in names],
    "];",
    "",
]
open("src/prebuilt/names.rs", "w").write("\n".join(table))
print(f"{len(names)} abbreviations")
