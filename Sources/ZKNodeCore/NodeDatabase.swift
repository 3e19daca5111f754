import Foundation
public import GRDB

/// A node's SQLite database (GRDB `DatabasePool`: WAL journal, one serialized writer, concurrent
/// readers).
///
/// Durability: `synchronous = FULL`. A commit returns only after the WAL is on disk, so an answer
/// that leaves the node after its commit survives a killed process *and* a power cut (with
/// `NORMAL`, WAL frames in the page cache survive SIGKILL but not power loss). It costs one fsync
/// per commit, which is small next to a proof.
public enum NodeDatabase {
    public static func open(path: String, migrations: [(String, [String])]) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        var migrator = DatabaseMigrator()
        for (name, statements) in migrations {
            migrator.registerMigration(name) { db in
                for sql in statements { try db.execute(sql: sql) }
            }
        }
        try migrator.migrate(pool)
        return pool
    }

    /// Whether the store accepts a write (for `/readyz`).
    public static func isWritable(_ pool: DatabasePool) async -> Bool {
        do {
            try await pool.write { db in try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS readyz_probe(x); DELETE FROM readyz_probe") }
            return true
        } catch { return false }
    }
}
