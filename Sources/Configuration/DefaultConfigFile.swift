import Foundation

/// The commented `sluice.yaml` that `sluice init` writes: every key at its default, with what it means.
public enum DefaultConfigFile {
    public static func text(extraDownloadDirectories: [String] = []) -> String {
        let extra = extraDownloadDirectories.isEmpty
            ? "[]"
            : "\n" + extraDownloadDirectories.map { "    - \(quoted($0))" }.joined(separator: "\n")
        return """
            # Sluice configuration. Every key is shown at its default; unknown keys are errors.
            # Edit and send SIGHUP to a running `sluice watch` (or restart it) to reload.

            pipeline:
              # Steps B-E: zip the images for the external auto-tagger (CivitAI) and wait for its result zip.
              autotag: true
              # Skip the wait in review/ and continue straight to the final zip (scripts, the example).
              auto_approve_review: false

            normalize:
              # A preset name from presets/ (anime, manga, manhwa) or a path to a preset JSON file.
              preset: anime

            watch:
              # A drop counts once nothing in it changed for this long (milliseconds).
              settle_ms: 2000
              # Poll instead of inotify (automatic on NFS and SMB, where inotify sees no remote changes).
              force_polling: false
              poll_interval_ms: 2000

            index:
              # Look for images in subfolders of a dropped dataset too.
              recursive: true
              # Perceptual-hash Hamming distance at or under which two images are reported as near duplicates.
              near_duplicate_distance: 6
              # Long steps checkpoint after this many images, so a restart redoes at most one batch.
              batch_size: 100
              # Images whose header declares more pixels (width x height) are refused without being decoded.
              max_pixels: 100000000

            autotag:
              # Remove GPS and camera EXIF from the copies that are uploaded (the originals are never changed).
              strip_metadata: false
              upload_url: https://civitai.com/models/train

            downloads:
              # Which zips count as results: a glob, or a regular expression after "re:".
              pattern: "*.zip"
              # More folders to look in for result zips (copied from there, never moved).
              extra_dirs: \(extra)
              # Fail with "No downloaded zip detected" after this long; `sluice retry JOB` waits again.
              timeout_minutes: 1440

            final:
              # flat: images and captions at the top of the zip; kohya: inside <repeats>_<dataset>/.
              layout: flat
              repeats: 10
              # What happens to tags after "#optional": keep them after the main tags, or drop them.
              optional_tags: keep
              # An image without a caption: write an empty caption, or fail the job.
              missing_caption: empty
              # An empty caption: allow it, or fail the job.
              empty_caption: allow
              # Re-apply the preset's group order (identity, composition, lighting, environment, outfit).
              enforce_group_order: false

            notify:
              # Desktop notification (notify-send) when a job waits for you; a failure never fails a job.
              desktop: false

            lookup:
              # Reverse image search (library profile). A match under this similarity (percent) is no match.
              min_similarity: 80
              cache_ttl_hours: 48
              no_match_ttl_hours: 6
              # Contact for the User-Agent (an e-mail or URL), so services can reach you.
              contact: ""
              # Secrets may also come from SLUICE_SAUCENAO_API_KEY, SLUICE_DANBOORU_LOGIN, SLUICE_DANBOORU_API_KEY,
              # SLUICE_GELBOORU_API_KEY, SLUICE_GELBOORU_USER_ID. A file holding keys must be chmod 600.
              saucenao:
                endpoint: https://saucenao.com
                api_key: ""
                # Bit mask of SauceNAO index ids (Danbooru 9, Gelbooru 25, Pixiv 5, Yande.re 12); -1 for all.
                dbmask: -1
                numres: 8
              danbooru:
                endpoint: https://danbooru.donmai.us
                login: ""
                api_key: ""
              iqdb:
                endpoint: https://iqdb.org
              gelbooru:
                endpoint: https://gelbooru.com
                api_key: ""
                user_id: ""

            """
    }

    /// The user's XDG download folder, when it exists (`XDG_DOWNLOAD_DIR` from user-dirs.dirs, else ~/Downloads).
    public static func userDownloadDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let home = environment["HOME"] ?? NSHomeDirectory()
        var candidate = home + "/Downloads"
        let configHome = environment["XDG_CONFIG_HOME"] ?? home + "/.config"
        if let text = try? String(contentsOfFile: configHome + "/user-dirs.dirs", encoding: .utf8) {
            for line in text.split(separator: "\n") where line.hasPrefix("XDG_DOWNLOAD_DIR=") {
                let value = line.dropFirst("XDG_DOWNLOAD_DIR=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                candidate = value.replacingOccurrences(of: "$HOME", with: home)
            }
        }
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory) && isDirectory.boolValue ? candidate : nil
    }

    private static func quoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
