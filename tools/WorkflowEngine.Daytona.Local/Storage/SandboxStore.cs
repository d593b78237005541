using System.Globalization;
using Microsoft.Data.Sqlite;

namespace WorkflowEngine.Daytona.Local.Storage;

/// <summary>
/// The registry of local sandboxes in a SQLite file under the data folder, so that a second <c>wfe</c>
/// process sees the sandboxes of the first. Names are unique by constraint.
/// </summary>
internal sealed class SandboxStore
{
    private readonly string _connectionString;

    public SandboxStore(string databasePath)
    {
        RestrictToOwner(databasePath);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = true, DefaultTimeout = 30 }.ToString();
        using var connection = Open();
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS sandboxes (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                language TEXT NOT NULL,
                state TEXT NOT NULL,
                created_at TEXT NOT NULL,
                last_accessed_at TEXT NOT NULL,
                persistent INTEGER NOT NULL,
                idle_ttl_seconds INTEGER NOT NULL,
                spec_json TEXT NOT NULL,
                git_mounts_json TEXT NOT NULL DEFAULT '{}'
            );
            """);
    }

    /// <summary>
    /// Makes the database owner-only before SQLite opens it: created 0600 whatever the umask (an empty file is a valid
    /// new database), and narrowed when an older version left it wider. SQLite creates its -wal, -shm and -journal files
    /// with the database file's mode, so they are 0600 from their first byte; leftovers of an older version are narrowed
    /// here too. They hold the sandboxes' environment values.
    /// </summary>
    private static void RestrictToOwner(string databasePath)
    {
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var database = new FileStream(databasePath, new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.ReadWrite | FileShare.Delete,
            UnixCreateMode = ownerOnly,
        }))
        {
            File.SetUnixFileMode(database.SafeFileHandle, ownerOnly);
        }

        foreach (var suffix in new[] { "-wal", "-shm", "-journal" })
        {
            try
            {
                File.SetUnixFileMode(databasePath + suffix, ownerOnly);
            }
            catch (FileNotFoundException)
            {
            }
        }
    }

    /// <summary>Inserts a record; returns false when the name is taken.</summary>
    public bool TryInsert(SandboxRecord record)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO sandboxes (id, name, language, state, created_at, last_accessed_at, persistent, idle_ttl_seconds, spec_json, git_mounts_json)
            VALUES ($id, $name, $language, $state, $created, $accessed, $persistent, $ttl, $spec, $mounts)
            """;
        Bind(command, record);
        try
        {
            command.ExecuteNonQuery();
            return true;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            return false;
        }
    }

    /// <summary>
    /// Inserts a record unless <paramref name="maxSandboxes"/> (pooled ones aside) are registered already; true when
    /// inserted, false when the name is taken, null when full. One statement, so concurrent creates cannot overshoot.
    /// </summary>
    public bool? TryInsertWithin(SandboxRecord record, int maxSandboxes)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO sandboxes (id, name, language, state, created_at, last_accessed_at, persistent, idle_ttl_seconds, spec_json, git_mounts_json)
            SELECT $id, $name, $language, $state, $created, $accessed, $persistent, $ttl, $spec, $mounts
            WHERE (SELECT COUNT(*) FROM sandboxes WHERE state != 'pooled') < $max
            """;
        return ExecuteWithin(command, record, maxSandboxes);
    }

    /// <summary>How many sandboxes are registered, pooled ones aside.</summary>
    public int Count()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sandboxes WHERE state != 'pooled'";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public SandboxRecord? Find(string idOrName)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM sandboxes WHERE (id = $key OR name = $key) AND state != 'pooled' LIMIT 1";
        command.Parameters.AddWithValue("$key", idOrName);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    public IReadOnlyList<SandboxRecord> List()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM sandboxes WHERE state != 'pooled' ORDER BY created_at, id";
        using var reader = command.ExecuteReader();
        var records = new List<SandboxRecord>();
        while (reader.Read())
        {
            records.Add(Read(reader));
        }

        return records;
    }

    /// <summary>Whether an id is registered in any state, pooled included.</summary>
    public bool Exists(string id)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sandboxes WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>Prepared sandboxes of the warm pool, which the other queries never return.</summary>
    public IReadOnlyList<SandboxRecord> ListPooled()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM sandboxes WHERE state = 'pooled'";
        using var reader = command.ExecuteReader();
        var records = new List<SandboxRecord>();
        while (reader.Read())
        {
            records.Add(Read(reader));
        }

        return records;
    }

    /// <summary>
    /// Turns a pooled sandbox into <paramref name="record"/>, atomically, unless <paramref name="maxSandboxes"/> are
    /// registered already; null when it is gone or the registry is full, false when the name is taken.
    /// </summary>
    public bool? TryClaim(SandboxRecord record, int maxSandboxes)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE sandboxes SET name = $name, language = $language, state = $state, created_at = $created,
                last_accessed_at = $accessed, persistent = $persistent, idle_ttl_seconds = $ttl, spec_json = $spec, git_mounts_json = $mounts
            WHERE id = $id AND state = 'pooled' AND (SELECT COUNT(*) FROM sandboxes WHERE state != 'pooled') < $max
            """;
        return ExecuteWithin(command, record, maxSandboxes);
    }

    public void Update(SandboxRecord record)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE sandboxes SET name = $name, language = $language, state = $state, created_at = $created,
                last_accessed_at = $accessed, persistent = $persistent, idle_ttl_seconds = $ttl, spec_json = $spec, git_mounts_json = $mounts
            WHERE id = $id
            """;
        Bind(command, record);
        command.ExecuteNonQuery();
    }

    public void Touch(string id, DateTimeOffset now)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE sandboxes SET last_accessed_at = $now WHERE id = $id";
        command.Parameters.AddWithValue("$now", now.ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
    }

    public void Delete(string id)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM sandboxes WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // WAL with synchronous=NORMAL: no fsync per command (a power cut may lose the last change, never corrupt the file).
        Execute(connection, "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs an insert or claim guarded by the sandbox count: true when it took, null when full (or gone), false when the name is taken.</summary>
    private static bool? ExecuteWithin(SqliteCommand command, SandboxRecord record, int maxSandboxes)
    {
        Bind(command, record);
        command.Parameters.AddWithValue("$max", maxSandboxes);
        try
        {
            return command.ExecuteNonQuery() == 1 ? true : null;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            return false;
        }
    }

    private static void Bind(SqliteCommand command, SandboxRecord record)
    {
        command.Parameters.AddWithValue("$id", record.Id);
        command.Parameters.AddWithValue("$name", record.Name);
        command.Parameters.AddWithValue("$language", record.Language);
        command.Parameters.AddWithValue("$state", record.State);
        command.Parameters.AddWithValue("$created", record.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$accessed", record.LastAccessedAt.ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$persistent", record.Persistent ? 1 : 0);
        command.Parameters.AddWithValue("$ttl", (long)record.IdleTtl.TotalSeconds);
        command.Parameters.AddWithValue("$spec", record.SpecJson);
        command.Parameters.AddWithValue("$mounts", record.GitMountsJson);
    }

    private static SandboxRecord Read(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(reader.GetOrdinal("id")),
        Name = reader.GetString(reader.GetOrdinal("name")),
        Language = reader.GetString(reader.GetOrdinal("language")),
        State = reader.GetString(reader.GetOrdinal("state")),
        CreatedAt = DateTimeOffset.Parse(reader.GetString(reader.GetOrdinal("created_at")), CultureInfo.InvariantCulture),
        LastAccessedAt = DateTimeOffset.Parse(reader.GetString(reader.GetOrdinal("last_accessed_at")), CultureInfo.InvariantCulture),
        Persistent = reader.GetInt64(reader.GetOrdinal("persistent")) != 0,
        IdleTtl = TimeSpan.FromSeconds(reader.GetInt64(reader.GetOrdinal("idle_ttl_seconds"))),
        SpecJson = reader.GetString(reader.GetOrdinal("spec_json")),
        GitMountsJson = reader.GetString(reader.GetOrdinal("git_mounts_json")),
    };
}
