package it.semaforo;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/architecture.md is the map a newcomer reads first: these checks keep it the map of the
 * code as built. Every package has a row in the code map, every class the map names exists, and
 * the text picture of the packages is the graph of their uses (ArchitectureTest's slices, so
 * templates count in the package that renders them). A failure prints what the map should say.
 */
@AnalyzeClasses(packages = {"it.semaforo", ArchitectureTest.TEMPLATES}, importOptions = ImportOption.DoNotIncludeTests.class)
class CodeMapTest {
    static final Path MAP = Path.of("docs/architecture.md");
    /** A row of the code map: | `package` | what it owns |. */
    static final Pattern ROW = Pattern.compile("^\\| `([a-z]+)` \\| (.*) \\|$");
    /** A class the map names: `Ledger`, `event.Ledger`, `render.PublicOutput#changed`. */
    static final Pattern CLASS = Pattern.compile("`(?:[a-z]+\\.)*([A-Z][a-z]\\w*)(?:#\\w+)?`");
    /** A line of the text picture: "admin   -> api notify …   (a remark)". */
    static final Pattern USES = Pattern.compile("^([a-z]+)\\s+->\\s+([a-z ]+?)\\s*(?:\\(.*\\))?$");

    @ArchTest
    static void everyPackageHasARowAndEveryRowAPackage(JavaClasses classes) {
        Set<String> built = uses(classes).keySet();
        assertEquals(built, codeMap().keySet(), "packages in the code map of " + MAP + " vs packages built");
    }

    @ArchTest
    static void everyClassTheMapNamesExists(JavaClasses classes) {
        Set<String> names = classes.stream().map(JavaClass::getSimpleName).collect(Collectors.toSet());
        Set<String> missing = new TreeSet<>();
        for (String owns : codeMap().values()) {
            Matcher m = CLASS.matcher(owns);
            while (m.find()) if (!names.contains(m.group(1))) missing.add(m.group(1));
        }
        assertTrue(missing.isEmpty(), MAP + " names classes that do not exist (renamed or removed?): " + missing);
    }

    @ArchTest
    static void theTextPictureIsTheGraphOfUses(JavaClasses classes) {
        Map<String, Set<String>> actual = uses(classes);
        actual.remove("app"); // app uses every package: the picture says so in words
        Map<String, Set<String>> drawn = new TreeMap<>();
        for (String line : textPicture()) {
            Matcher m = USES.matcher(line.strip());
            if (m.matches()) drawn.put(m.group(1), new TreeSet<>(List.of(m.group(2).strip().split("\\s+"))));
        }
        actual.values().removeIf(Set::isEmpty); // leaves: listed on the picture's last line
        String expected = actual.entrySet().stream()
                .map(e -> String.format("%-7s -> %s", e.getKey(), String.join(" ", e.getValue())))
                .collect(Collectors.joining("\n"));
        assertEquals(actual, drawn, "the text picture in " + MAP + " should read (remarks aside):\n" + expected + "\n");
    }

    /** Each package of ours and the packages it uses, by ArchitectureTest's slices. */
    static Map<String, Set<String>> uses(JavaClasses classes) {
        Map<String, Set<String>> uses = new TreeMap<>();
        for (JavaClass c : classes) {
            String from = ArchitectureTest.packageOf(c);
            if (from == null) continue;
            Set<String> to = uses.computeIfAbsent(from, k -> new TreeSet<>());
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String target = ArchitectureTest.packageOf(d.getTargetClass());
                if (target != null && !target.equals(from)) to.add(target);
            }
        }
        return uses;
    }

    static Map<String, String> codeMap() {
        Map<String, String> rows = new TreeMap<>();
        for (String line : section("## Code map", "### Picture of the packages")) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) rows.put(m.group(1), m.group(2));
        }
        return rows;
    }

    /** The code block after "The same as text". */
    static List<String> textPicture() {
        List<String> after = section("The same as text", "## ");
        int open = after.indexOf("```");
        int close = after.subList(open + 1, after.size()).indexOf("```") + open + 1;
        return after.subList(open + 1, close);
    }

    private static List<String> section(String from, String to) {
        List<String> lines = read();
        int start = -1;
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith(from)) start = i + 1;
        assertTrue(start > 0, MAP + " has no \"" + from + "\"");
        int end = start;
        while (end < lines.size() && !lines.get(end).startsWith(to)) end++;
        return lines.subList(start, end);
    }

    private static List<String> read() {
        try {
            return Files.readAllLines(MAP);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
