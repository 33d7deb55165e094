namespace Yishi.Engine.EntityFrameworkCore.Tests.Contract;

/// <summary>The store contract on an embedded SQLite file (WAL, synchronous=FULL).</summary>
public sealed class SqliteStoreContract : StoreContract<SqliteStoreProvider>;

/// <summary>The store contract on a live PostgreSQL server (skipped without YISHI_TEST_POSTGRES).</summary>
public sealed class PostgreSqlStoreContract : StoreContract<PostgreSqlStoreProvider>;

/// <summary>The store contract on the in-memory store used for rehearsals.</summary>
public sealed class InMemoryStoreContract : StoreContract<InMemoryStoreProvider>;
