import SandboxPolicy

/// The host's users and groups: `/etc/passwd` and `/etc/group` read directly, and `getent` asked only for what
/// they do not list (an LDAP or SSSD account).
///
/// sandbox never calls glibc's NSS (getpwnam, getpwuid, getgrnam) itself: in a static executable NSS goes on to
/// the next source in nsswitch.conf, loads its shared module (libnss_systemd) into a process that has no loader,
/// and crashes. getent is dynamically linked, so NSS works there; it costs a process, hence only off the start
/// path, when the files do not answer.
enum HostAccounts {
    enum Database: String {
        case passwd, group
    }

    static func file(_ database: Database) throws -> AccountFile {
        AccountFile(parsing: try HostFile.readIfPresent("/etc/" + database.rawValue))
    }

    /// The entry of that name in the file, else in any source of nsswitch.conf.
    static func entry(named name: String, in database: Database) throws -> AccountFile.Entry? {
        try file(database).entry(named: name) ?? getent(database, name)
    }

    /// What NSS's other sources know of a name or an id. getent exits 2 for a key no source has; any failure
    /// is taken as no answer, as getpwnam's NULL was.
    static func getent(_ database: Database, _ key: String) -> AccountFile.Entry? {
        guard let line = try? HostCommand.output(["getent", "--", database.rawValue, key]) else { return nil }
        return AccountFile(parsing: line).entries.first
    }
}
