//! Files of fixture sites and built sites, shared by the test binaries (each includes this
//! file with `#[path]`).

#![allow(dead_code)]

use std::fs;
use std::path::Path;

/// Copies the folder `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for item in fs::read_dir(from).unwrap() {
        let item = item.unwrap();
        let target = to.join(item.file_name());
        if item.file_type().unwrap().is_dir() {
            copy_dir(&item.path(), &target);
        } else {
            fs::copy(item.path(), &target).unwrap();
        }
    }
}

/// Adds every file under `dir` to `found`, as a `/`-separated path relative to `root`.
pub fn walk(root: &Path, dir: &Path, found: &mut Vec<String>) {
    for item in fs::read_dir(dir).unwrap() {
        let path = item.unwrap().path();
        if path.is_dir() {
            walk(root, &path, found);
        } else {
            let rel = path.strip_prefix(root).unwrap();
            found.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}
