package dev.pgjvm.embedding;

import dev.pgjvm.core.ConnInfoException;
import dev.pgjvm.core.CopyDirection;
import dev.pgjvm.core.FieldDescription;
import dev.pgjvm.core.LargeObjects;
import dev.pgjvm.core.Notification;
import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.PgCopyRefusedException;
import dev.pgjvm.core.PgException;
import dev.pgjvm.core.PgFileException;
import dev.pgjvm.core.PgProtocolException;
import dev.pgjvm.core.PgResult;
import dev.pgjvm.core.PgServerException;
import dev.pgjvm.core.PipelineOutcome;
import dev.pgjvm.core.PollingStatus;
import dev.pgjvm.core.ResultStatus;
import dev.pgjvm.core.TransactionStatus;
import dev.pgjvm.core.UndecodableTextException;
import dev.pgjvm.core.ValueKind;
import dev.pgjvm.core.auth.PasswordEncryption;
import dev.pgjvm.core.conninfo.ClientEnvironment;
import dev.pgjvm.core.conninfo.ConnInfo;
import dev.pgjvm.core.replication.ReplicationStream;
import dev.pgjvm.core.replication.XLogData;
import dev.pgjvm.psycopg2.PythonBridge;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.io.IOAccess;
import org.graalvm.polyglot.proxy.ProxyExecutable;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Ready-made GraalPy contexts for running psycopg2 scripts inside a Java application without
 * giving them the application's Java.
 *
 * <p>{@link #sandboxed(Engine)} makes a context from {@link #sandboxedBuilder()}, whose limits
 * are:
 * <ul>
 * <li>host classes: only those the package's boundary module ({@code psycopg2/_impl/pq.py})
 *     looks up, {@link #LOOKUP_CLASSES}; {@code java.type('java.lang.Runtime')} fails;</li>
 * <li>host members: only java-core's public facade ({@link #API_CLASSES}: the members
 *     declared by those classes, not what they inherit from the JDK, so no {@code getClass()}),
 *     and the few JDK members the boundary module calls ({@link #hostAccess()}); the public
 *     calls that read or write a host file named by the caller (COPY from a file,
 *     {@code lo_import}, {@code lo_export}) are left out: there they raise AttributeError;</li>
 * <li>no file system and no sockets of its own ({@link IOAccess#NONE}: GraalPy still reads
 *     its standard library from its home; the package's modules come from this jar through an
 *     import hook, {@link #installPackage}); psycopg2's sockets are java-core's, in Java;</li>
 * <li>no native access (GraalPy's Java POSIX backend, all psycopg2 needs), no processes, no
 *     environment variables, no polyglot bindings or other languages.</li>
 * </ul>
 * Python threads stay allowed. A script sees no {@code PG*} variables: give it a DSN. The
 * connection options that name client files (sslrootcert, sslkey, passfile, service files)
 * are still read by java-core from the host, as libpq would read them.
 *
 * <p>Anything that widens access on the builder (allowAllAccess, allowHostClassLookup with
 * another filter) widens the sandbox too. Contexts that share an engine must share one host
 * access policy: all those made here do.
 */
public final class Psycopg2Contexts {
    /**
     * java-core's public facade, and the package's bridge: a script may call their public
     * members (see {@link #hostAccess()}), as the package does and as a script does on
     * {@code connection.get_native_connection()}. A class the boundary module starts to use
     * goes here, or sandboxed scripts cannot use it.
     */
    public static final List<Class<?>> API_CLASSES = List.of(
            PgConnection.class, PgResult.class, PipelineOutcome.class, LargeObjects.class,
            FieldDescription.class,
            Notification.class, CopyDirection.class, PollingStatus.class, ResultStatus.class,
            TransactionStatus.class, ValueKind.class,
            PgException.class, PgServerException.class, PgConnectionException.class,
            ConnInfoException.class, PgCopyRefusedException.class, PgFileException.class,
            PgProtocolException.class, UndecodableTextException.class,
            ConnInfo.class, ClientEnvironment.class, PasswordEncryption.class,
            ReplicationStream.class, XLogData.class,
            PythonBridge.class);

    /**
     * The classes a script may name with {@code java.type()}: the facade, and the JDK classes
     * the boundary module names (two exception types it catches, the map and the duration it
     * passes to java-core).
     */
    public static final Set<String> LOOKUP_CLASSES = lookupClasses();

    /** The public calls that read or write a host file named by the caller. */
    private static final Set<String> HOST_FILE_CALLS = Set.of(
            "PgConnection.copyWriteFile", "LargeObjects.importFile", "LargeObjects.exportFile");

    private static final HostAccess HOST_ACCESS = buildHostAccess();

    private Psycopg2Contexts() {
    }

    /** A sandboxed context (see the class comment) with the package importable, on its own engine. */
    public static Context sandboxed() {
        return installPackage(sandboxedBuilder().option("engine.WarnInterpreterOnly", "false").build());
    }

    /**
     * A sandboxed context (see the class comment) with the package importable, on the given
     * engine: what one context compiles, the others reuse.
     */
    public static Context sandboxed(Engine engine) {
        return installPackage(sandboxedBuilder().engine(engine).build());
    }

    /**
     * The sandbox's settings, for a context with more of its own (streams, options, an engine):
     * give each context built from it to {@link #installPackage} before it imports psycopg2.
     */
    public static Context.Builder sandboxedBuilder() {
        return Context.newBuilder("python")
                .allowHostAccess(HOST_ACCESS)
                .allowHostClassLookup(hostClassFilter())
                .allowHostClassLoading(false)
                .allowIO(IOAccess.NONE)
                .allowNativeAccess(false)
                .allowCreateProcess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowCreateThread(true)
                .option("python.PosixModuleBackend", "java")
                // Nowhere to write .pyc files: do not try.
                .option("python.DontWriteBytecodeFlag", "true");
    }

    /**
     * Makes psycopg2 importable in a context that has no file system: an import hook (first on
     * {@code sys.meta_path}) that finds {@code psycopg2} and its submodules among this jar's
     * resources, where GraalPy's virtual file system would find them. The context, for chaining.
     */
    public static Context installPackage(Context context) {
        context.eval("python", "lambda code, read: exec(code, {'__name__': 'psycopg2_jar_importer', 'read': read})")
                .execute(PackageSources.IMPORT_HOOK, (ProxyExecutable) arguments ->
                        PackageSources.read(arguments[0].asString()));
        return context;
    }

    /**
     * What a sandboxed script may do with host objects: call the public members declared by
     * {@link #API_CLASSES} (but the host-file calls), read their public constants, see Java
     * arrays, lists, maps and iterators as Python sequences and mappings (the bridge returns
     * arrays, ConnInfo a map), {@link PgConnectionPool#borrow()} and
     * {@link PgConnectionPool#giveBack} for a pool bound with {@link #bindPool}, and the four
     * JDK members the boundary module calls:
     * {@code Throwable.getMessage()}, {@code new HashMap()}, {@code HashMap.put},
     * {@code Duration.ofNanos}.
     */
    public static HostAccess hostAccess() {
        return HOST_ACCESS;
    }

    /**
     * Makes the context's {@code psycopg2.connect(pool.dsn())} borrow from the host's pool and
     * its {@code close()} give the connection back, reset (see {@link PgConnectionPool}); the
     * DSN is compared as the script gives it, after psycopg2 has joined its keyword arguments.
     * Closing the context gives back what its scripts still hold. Only blocking connections
     * borrow: an async connection, or one made through a wait callback, connects on its own.
     * Works with any context that has the package, sandboxed or not.
     */
    public static void bindPool(Context context, PgConnectionPool pool) {
        context.eval("python", "__import__('psycopg2._impl.pq', fromlist=['bind_pool']).bind_pool")
                .execute(pool.dsn(), pool);
    }

    /** The class filter for {@code allowHostClassLookup}: the names in {@link #LOOKUP_CLASSES}. */
    public static Predicate<String> hostClassFilter() {
        return LOOKUP_CLASSES::contains;
    }

    private static Set<String> lookupClasses() {
        Set<String> names = API_CLASSES.stream().map(Class::getName).collect(Collectors.toSet());
        names.addAll(List.of(IllegalArgumentException.class.getName(), RuntimeException.class.getName(),
                HashMap.class.getName(), Duration.class.getName()));
        return Set.copyOf(names);
    }

    private static HostAccess buildHostAccess() {
        HostAccess.Builder access = HostAccess.newBuilder()
                .allowArrayAccess(true)
                .allowListAccess(true)
                .allowMapAccess(true)
                .allowIterableAccess(true)
                .allowIteratorAccess(true);
        for (Class<?> api : API_CLASSES) {
            for (Method method : api.getMethods()) {
                // getMethods() also lists what the JDK's Object, Throwable, Enum and Record
                // declare (getClass() among them): only java-core's own members are allowed.
                Class<?> declaring = method.getDeclaringClass();
                if (declaring.getName().startsWith("dev.pgjvm.")
                        && !HOST_FILE_CALLS.contains(declaring.getSimpleName() + "." + method.getName())) {
                    access.allowAccess(method);
                }
            }
            for (Field field : api.getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && Modifier.isFinal(field.getModifiers())) {
                    access.allowAccess(field);
                }
            }
        }
        try {
            access.allowAccess(Throwable.class.getMethod("getMessage"));
            access.allowAccess(HashMap.class.getConstructor());
            access.allowAccess(HashMap.class.getMethod("put", Object.class, Object.class));
            access.allowAccess(Duration.class.getMethod("ofNanos", long.class));
            // A pool the host binds (bindPool): lent and given back, never closed or
            // reconfigured by a script.
            access.allowAccess(PgConnectionPool.class.getMethod("borrow"));
            access.allowAccess(PgConnectionPool.class.getMethod("giveBack", PgConnection.class));
        } catch (NoSuchMethodException e) {
            throw new AssertionError("a JDK member the package calls is missing", e);
        }
        return access.build();
    }
}
