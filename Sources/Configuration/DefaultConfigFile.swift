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

            # dataset: each drop becomes a LoRA training dataset; library: drops are tagged and sorted into final/.
            profile: dataset

            pipeline:
              # Where captions come from: civitai (steps B-E: zip the images for CivitAI's auto-tagger and wait for
              # its result zip), local (caption every image with the analyzer in analyze.analyzers), or off (keep the
              # captions in the drop). true and false still mean civitai and off.
              autotag: civitai
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

            \(lookupText)

            analyze:
              # The built-in content analysis (no model): sluice/aspect:*, greyscale, monochrome, alpha, colorful,
              # dark, bright, animated, photo or drawing, measured on the pixels decoded for the perceptual hash.
              builtin: true
              # External analyzers (JSON lines on stdin/stdout, see analyzers/README.md), asked in order, e.g.:
              #   - name: wd14
              #     command: [analyzers/wd14/.venv/bin/python, analyzers/wd14/wd14_analyzer.py, --model, /models/wd14]
              analyzers: []
              # Seconds an analyzer may take to be ready (model loading), and per image; a hang restarts it.
              startup_timeout_seconds: 120
              timeout_seconds: 30
              # Restarts per run after crashes, hangs or garbage; then the analyzer is off for the run (never a failure).
              max_restarts: 3
              # Analyzer tags under this confidence (0-1) are dropped.
              min_confidence: 0
              thresholds:
                # |width/height - 1| at or under this is square; a side this many times the other is wide / a tall strip.
                square_tolerance: 0.1
                strip_ratio: 2.5
                # A pixel whose channels differ by at most this counts as grey; this share of grey pixels is greyscale.
                grey_tolerance: 12
                greyscale_share: 0.99
                # How alike (0-1) the hues of the coloured pixels must be for a tinted (sepia) image to be monochrome.
                monochrome_hue_concentration: 0.9
                # Hasler-Suesstrunk colourfulness at or over which an image is tagged colorful.
                colorful_at: 59
                # Mean brightness (0-1) under which an image is dark, over which bright.
                dark_below: 0.2
                bright_above: 0.8
                # Photo signal (0-1, EXIF camera + colour statistics) for sluice/photo, and at or under for sluice/drawing.
                photo_at: 0.7
                drawing_at: 0.3
            learning:
              # Learn categories from where you move images inside final/ (library profile); suggestions go in front
              # of the rules when at least min_confidence (0-1) and supported by min_examples of your moves.
              enabled: true
              min_confidence: 0.7
              min_examples: 3

            sync:
              # rsync final/ to a mounted path, host:path (ssh) or rsync://host[:port]/module/path; "" is off.
              destination: ""
              # batch | job | manual (only `sluice sync`).
              when: manual
              # Also delete on the destination what is gone locally, after a counted dry run, refused over max_deletions.
              mirror: false
              max_deletions: 50
              # Delete each local file once the destination's checksum matches (not with mirror).
              remove_local_after_verify: false
              # Attempts on transient rsync failures (network, timeouts, partial transfers), with doubling delays.
              attempts: 4
              retry_delay_seconds: 5
              timeout_seconds: 300
              # KiB/s; 0 is unlimited.
              bandwidth_limit_kib: 0
              # The remote shell for host:path destinations (keys only: it never prompts).
              ssh_command: "ssh -o BatchMode=yes"

            """
    }

    /// The commented `sluice.yaml` for a library root (`sluice init ROOT --profile library`).
    public static func libraryText() -> String {
        """
        # Sluice configuration for an image library. Every key is shown at its default; unknown keys are errors.
        # Drop images or folders into inbox/; they are looked up, reviewed, given XMP sidecars and sorted into final/.

        # dataset: each drop becomes a LoRA training dataset; library: drops are tagged and sorted into final/.
        profile: library

        library:
          # Stages, each on or off. `sluice library run PATH --from STAGE --to STAGE` runs a part of them.
          stages:
            scan: true        # hashes, size, dimensions, perceptual hash; unreadable images are reported
            analyze: true     # built-in content facts (sluice/… tags, see analyze:) and the external analyzers
            lookup: true      # Danbooru by MD5, SauceNAO, IQDB, then the post's booru tags (see lookup: below)
            review: true      # approve tags, or wait in review/<drop>__batch-<n>/
            sidecar: true     # <image>.<ext>.xmp with the approved tags, the source and the processed marker
            categorize: true  # the rules below choose the folder under final/
            organize: true    # copy or move into final/<Category>/
            sync: true        # rsync final/ to sync.destination when sync.when is batch or job (see sync:)
          # auto: approve when the best match is at least auto_approve_similarity, the rest wait in review/;
          # always: every image waits; never: no image waits.
          review: auto
          auto_approve_similarity: 90
          # Images per batch: each batch is checkpointed and waits for review in its own folder.
          batch_size: 100
          # copy keeps the originals where they were; move takes them out of the drop.
          output: copy
          # An image whose lookup met a service that was down is tried again this many times, this long apart.
          lookup_retries: 2
          lookup_retry_minutes: 5
          # Images with more pixels than this are refused (decompression bombs).
          max_pixels: 100000000
          # Ordered rules: the first whose conditions all hold names the folder. Conditions: tags_any, tags_all,
          # tags_none (tags as `tag` or `category:tag`), has (booru categories with at least one tag), rating,
          # format, orientation (portrait, landscape, square), origin (md5, saucenao, iqdb, none), min_width,
          # min_height. Folder templates may use {character}, {copyright}, {artist}, {rating}, {format},
          # {orientation}, {origin}; a rule whose template cannot be filled does not match.
          categories: []
          # categories:
          #   - name: vocaloid
          #     tags_any: ["character:hatsune miku", "character:kagamine rin"]
          #     folder: Vocaloid/{character}
          #   - name: explicit
          #     rating: [questionable, explicit]
          #     folder: NSFW
          #   - has: [character]
          #     folder: Characters/{character}
          #   - has: [copyright]
          #     folder: Fanart/{copyright}
          default_category: Uncategorized

        watch:
          settle_ms: 2000
          force_polling: false
          poll_interval_ms: 2000

        notify:
          desktop: false

        \(lookupText)

        """
    }

    /// The `lookup:` section, shared by both profiles.
    static let lookupText = """
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
