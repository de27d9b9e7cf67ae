/// An OCI mount's `options`, mount(8)'s words, read into what a `MountEntry` holds: its attributes, its
/// propagation, whether it is a bind and recursive, whether idmapped, and the filesystem's own options.
///
/// runc passes any word it does not know to the filesystem; here a bare word is refused unless it is one
/// this filesystem type takes, so that a misspelt `nosiud` is not silently lost. `KEY=VALUE` words are the
/// filesystem's (`mode=755`, `size=65536k`).
public struct MountOptions {
    var attributes: MountAttributes = []
    var propagation: MountPropagation?
    /// `rbind` (or a bare `bind` type, as runc reads it, without it).
    var recursive = false
    /// The field of the `idmap` or `ridmap` word, when there is one.
    var idmap: String?
    /// The filesystem's options, in order, with their fields.
    var data: [(option: String, field: String)] = []

    /// The attribute words: what each adds and what it takes away. The `r` forms (rro, rnosuid, ...) are the
    /// same, since sandbox sets a bind's attributes on every mount beneath it anyway.
    static let attributeWords: [String: (set: MountAttributes, clear: MountAttributes)] = [
        "ro": ([.readOnly], []), "rw": ([], [.readOnly]),
        "nosuid": ([.noSetuid], []), "suid": ([], [.noSetuid]),
        "nodev": ([.noDevices], []), "dev": ([], [.noDevices]),
        "noexec": ([.noExec], []), "exec": ([], [.noExec]),
        "noatime": ([.noAccessTime], [.strictAccessTime]), "atime": ([], [.noAccessTime]),
        "strictatime": ([.strictAccessTime], [.noAccessTime]), "nostrictatime": ([], [.strictAccessTime]),
        // The kernel's default: relatime is what is left when neither noatime nor strictatime is set.
        "relatime": ([], [.noAccessTime, .strictAccessTime]), "norelatime": ([], []),
        "nodiratime": ([.noDirectoryAccessTime], []), "diratime": ([], [.noDirectoryAccessTime]),
        "nosymfollow": ([.noSymlinks], []), "symfollow": ([], [.noSymlinks]),
    ]

    /// Every word sandbox honours, filesystems' own aside: what `features` reports.
    public static var known: [String] {
        (["bind", "rbind", "idmap", "ridmap"] + attributeWords.keys + attributeWords.keys.map { "r" + $0 }
            + defaultWords + [MountPropagation.shared, .slave, .private, .unbindable, .recursiveShared, .recursiveSlave,
                              .recursivePrivate, .recursiveUnbindable].map(\.rawValue)).sorted()
    }

    /// Words that ask for a kernel default, or undo a flag nothing here sets.
    static let defaultWords: Set = ["defaults", "async", "loud", "nomand", "nolazytime", "noiversion", "noacl"]

    /// mount(8) flags sandbox has no way to set, and runc's copy-up extension.
    static let unsupportedWords: [String: String] = [
        "sync": "not supported", "dirsync": "not supported", "mand": "not supported", "lazytime": "not supported",
        "iversion": "not supported", "acl": "not supported", "silent": "not supported", "remount": "not supported",
        "tmpcopyup": "not supported (copying the image's files into the new tmpfs)",
    ]

    /// The bare words each filesystem takes among its own options.
    static let filesystemWords: [String: Set<String>] = [
        "devpts": ["newinstance"],
        "tmpfs": ["noswap"],
        "cgroup2": ["nsdelegate", "memory_recursiveprot", "memory_localevents", "favordynmods"],
        "overlay": ["userxattr", "volatile"],
    ]

    /// - Parameter filesystem: the type of a new filesystem, nil for a bind.
    init(_ words: [String], filesystem: String?, field: String) throws {
        for (index, word) in words.enumerated() {
            let wordField = "\(field)[\(index)]"
            if word == "bind" || word == "rbind" {
                recursive = word == "rbind"
            } else if let change = Self.attributeWords[word] ?? Self.recursiveForm(of: word) {
                attributes.subtract(change.clear)
                attributes.formUnion(change.set)
            } else if let propagation = MountPropagation(rawValue: word) {
                self.propagation = propagation
            } else if word == "idmap" || word == "ridmap" {
                idmap = wordField
            } else if Self.defaultWords.contains(word) {
                continue
            } else if let problem = Self.unsupportedWords[word] {
                throw OCIMapping.error(wordField, "\"\(word)\": " + problem)
            } else if word.contains("=") || filesystem.map({ Self.filesystemWords[$0]?.contains(word) ?? false }) == true {
                data.append((word, wordField))
            } else {
                throw OCIMapping.error(wordField, "unknown mount option \"\(word)\"")
            }
        }
    }

    /// `rro` is `ro`, `rnoatime` is `noatime`: every attribute word has its recursive form.
    private static func recursiveForm(of word: String) -> (set: MountAttributes, clear: MountAttributes)? {
        word.hasPrefix("r") ? attributeWords[String(word.dropFirst())] : nil
    }

    /// The words that give `attributes` to a new mount.
    static func words(for attributes: MountAttributes) -> [String] {
        ["ro", "nosuid", "nodev", "noexec", "noatime", "strictatime", "nodiratime", "nosymfollow"].filter { word in
            attributes.isSuperset(of: attributeWords[word]!.set)
        }
    }
}
