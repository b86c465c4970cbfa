package dev.pgjvm.embedding;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The package's {@code .py} files, read from this jar for contexts without a file system
 * ({@link Psycopg2Contexts#installPackage}), and the import hook that asks for them.
 */
final class PackageSources {
    /** Where the jar holds them: the folder GraalPy's virtual file system puts on sys.path. */
    private static final String ROOT = "/org.graalvm.python.vfs/src/";

    /** psycopg2's own files only: no way up and out of the package. */
    private static final Pattern PACKAGE_FILE = Pattern.compile("psycopg2(/[A-Za-z_][A-Za-z0-9_]*)*\\.py");

    /** Read once per JVM: every context imports the same files. */
    private static final Map<String, Optional<String>> CACHE = new ConcurrentHashMap<>();

    /**
     * Runs once in each context, in globals of its own where {@code read} is
     * {@link #read(String)}: a meta path finder for psycopg2 and its submodules. A module's
     * {@code __file__} is {@code psycopg2.jar!/psycopg2/...py}; get_source() lets tracebacks
     * show its lines.
     */
    static final String IMPORT_HOOK = """
            import sys
            from importlib.machinery import ModuleSpec


            class Psycopg2FromJar:
                def find_spec(self, name, path=None, target=None):
                    if name != 'psycopg2' and not name.startswith('psycopg2.'):
                        return None
                    base = name.replace('.', '/')
                    for file, is_package in ((base + '/__init__.py', True), (base + '.py', False)):
                        source = read(file)
                        if source is not None:
                            spec = ModuleSpec(name, self, origin='psycopg2.jar!/' + file,
                                              is_package=is_package)
                            spec.has_location = True
                            spec.loader_state = str(source)
                            return spec
                    return None

                def create_module(self, spec):
                    return None

                def exec_module(self, module):
                    spec = module.__spec__
                    exec(compile(spec.loader_state, spec.origin, 'exec'), module.__dict__)

                def get_source(self, name):
                    spec = self.find_spec(name)
                    return None if spec is None else spec.loader_state


            sys.meta_path.insert(0, Psycopg2FromJar())
            """;

    private PackageSources() {
    }

    /** The text of a file of the package ("psycopg2/_impl/pq.py"), or null when there is none. */
    static String read(String path) {
        if (!PACKAGE_FILE.matcher(path).matches()) {
            return null;
        }
        return CACHE.computeIfAbsent(path, PackageSources::load).orElse(null);
    }

    private static Optional<String> load(String path) {
        try (InputStream in = PackageSources.class.getResourceAsStream(ROOT + path)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + path + " from the psycopg2 jar", e);
        }
    }
}
