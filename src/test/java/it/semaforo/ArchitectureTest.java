package it.semaforo;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The package layout of the README's code map, held as rules so that the next cycle fails the
 * build. Needs Surefire 3.5.4 or newer: 3.5.3 silently runs none of these fields (ArchUnit #1442).
 */
@AnalyzeClasses(packages = "it.semaforo", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** What the comune's data is and how it changes: the rest is built on these. */
    static final String[] DOMAIN = {"it.semaforo.db..", "it.semaforo.service..", "it.semaforo.notice..",
            "it.semaforo.status..", "it.semaforo.event.."};
    /** What residents, clerks and other programs receive. */
    static final String[] OUTPUTS = {"it.semaforo.web..", "it.semaforo.feed..", "it.semaforo.api..",
            "it.semaforo.embed..", "it.semaforo.admin..", "it.semaforo.cache..", "it.semaforo.export.."};

    @ArchTest
    static final ArchRule domainImportsNoOutputNorApp = noClasses().that().resideInAnyPackage(DOMAIN)
            .should().dependOnClassesThat().resideInAnyPackage(concat(OUTPUTS, "it.semaforo.app.."))
            .because("the domain must not know who reads it");

    @ArchTest
    static final ArchRule outputsReceiveTheirConfiguration = noClasses().that().resideInAnyPackage(OUTPUTS)
            .should().dependOnClassesThat().resideInAPackage("it.semaforo.app..")
            .because("app reads the configuration and hands each output the settings it needs (render.Site, "
                    + "admin.AdminSettings)");

    @ArchTest
    static final ArchRule renderingKnowsNoOutput = noClasses().that().resideInAPackage("it.semaforo.render..")
            .should().dependOnClassesThat().resideInAnyPackage(concat(OUTPUTS, "it.semaforo.app..", "io.javalin.."))
            .because("every output renders with it (Rendered, messages, languages, formats, templates): "
                    + "it turns a model into bytes and knows neither HTTP nor who asked");

    @ArchTest
    static final ArchRule cacheRendersNothing = noClasses().that().resideInAPackage("it.semaforo.cache..")
            .should().dependOnClassesThat().resideInAnyPackage(concat(without(OUTPUTS, "it.semaforo.cache.."),
                    "it.semaforo.app..", "gg.jte.."))
            .because("the cache keeps the bytes the outputs render, and renders nothing itself");

    @ArchTest
    static final ArchRule textIsALeaf = noClasses().that().resideInAPackage("it.semaforo.text..")
            .should().dependOnClassesThat(resideInAPackage("it.semaforo..").and(not(resideInAPackage("it.semaforo.text.."))))
            .because("Markdown, slugs and JSON are tools every package may use");

    private static String[] without(String[] a, String b) {
        return java.util.Arrays.stream(a).filter(p -> !p.equals(b)).toArray(String[]::new);
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
