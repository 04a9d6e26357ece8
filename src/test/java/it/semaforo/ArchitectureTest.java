package it.semaforo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package layout of docs/architecture.md's code map, held as rules so that the next cycle fails the
 * build. Needs Surefire 3.5.4 or newer: 3.5.3 silently runs none of these fields (ArchUnit #1442).
 */
@AnalyzeClasses(packages = {"it.semaforo", ArchitectureTest.TEMPLATES}, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** Where jte-maven-plugin puts the precompiled templates: src/main/jte/{dir}/x.jte becomes TEMPLATES.{dir}.JtexGenerated. */
    static final String TEMPLATES = "gg.jte.generated.precompiled";

    /** What the comune's data is and how it changes: the rest is built on these. */
    static final String[] DOMAIN = {"it.semaforo.db..", "it.semaforo.service..", "it.semaforo.notice..",
            "it.semaforo.status..", "it.semaforo.event..", "it.semaforo.audit.."};
    /** What residents, clerks and other programs receive. */
    static final String[] OUTPUTS = {"it.semaforo.web..", "it.semaforo.feed..", "it.semaforo.api..",
            "it.semaforo.embed..", "it.semaforo.admin..", "it.semaforo.cache..", "it.semaforo.export..", "it.semaforo.rating.."};

    /**
     * Each package of ours is a slice; a template counts in the package whose pages it renders
     * (admin/ in admin, feed/ in feed, embed/ in embed, the rest, tag/ included, in web), so that
     * a template importing a class is a dependency like any other (layout.jte offering a feed).
     */
    static final SliceAssignment PACKAGES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            String p = packageOf(c);
            return p == null ? SliceIdentifier.ignore() : SliceIdentifier.of(p);
        }

        @Override
        public String getDescription() {
            return "the packages of it.semaforo, each template in the package that renders it";
        }
    };

    /** The package of ours a class counts in (see PACKAGES), or null for a class not of ours. */
    static String packageOf(JavaClass c) {
        String p = c.getPackageName();
        if (p.startsWith("it.semaforo.")) return p.substring("it.semaforo.".length()).split("\\.")[0];
        if (p.equals(TEMPLATES) || p.startsWith(TEMPLATES + ".")) {
            String dir = p.equals(TEMPLATES) ? "" : p.substring(TEMPLATES.length() + 1).split("\\.")[0];
            return switch (dir) {
                case "admin", "feed", "embed" -> dir;
                default -> "web";
            };
        }
        return null;
    }

    @ArchTest
    static final ArchRule noPackageCycle = slices().assignedFrom(PACKAGES).should().beFreeOfCycles();

    @ArchTest
    static final ArchRule domainImportsNoOutputNorApp = noClasses().that().resideInAnyPackage(DOMAIN)
            .should().dependOnClassesThat().resideInAnyPackage(concat(OUTPUTS, "it.semaforo.app..", "it.semaforo.http..",
                    "it.semaforo.render..", "it.semaforo.signal.."))
            .because("the domain must not know who reads it, nor how it is shown (its refusals are message keys), "
                    + "nor what feeds it signals");

    /** Signals in: a feature over the domain, fed by its own input adapter (signal.poll). */
    static final String SIGNAL = "it.semaforo.signal";

    @ArchTest
    static final ArchRule signalsKnowNoOutput = noClasses().that().resideInAPackage(SIGNAL + "..")
            .should().dependOnClassesThat().resideInAnyPackage(concat(OUTPUTS, "it.semaforo.app..", "it.semaforo.http..",
                    "it.semaforo.render..", "io.javalin..", "gg.jte.."))
            .because("signals are recorded and announced through event.Ledger like any change of the domain; the "
                    + "clerks' area shows them, and app hands the poller its settings");

    @ArchTest
    static final ArchRule signalDomainPollsNothing = noClasses().that().resideInAPackage(SIGNAL)
            .should().dependOnClassesThat().resideInAnyPackage(SIGNAL + ".poll..", "java.net.http..", "javax.net..",
                    "com.rometools..", "org.jdom2..")
            .because("what a source said, and what clerks do of it, is separate from how upstreams are polled and "
                    + "parsed: the input adapter signal.poll owns its HTTP client and its parsers");

    @ArchTest
    static final ArchRule onlyThePollerReachesUpstreams = noClasses().that().resideInAnyPackage(concat(DOMAIN,
                    "it.semaforo.admin..", "it.semaforo.web..", "it.semaforo.api..", "it.semaforo.feed..", "it.semaforo.embed.."))
            .should().dependOnClassesThat().resideInAPackage(SIGNAL + ".poll..")
            .because("nothing that answers residents or clerks waits on an upstream: the clerks' area asks for a poll "
                    + "through a function handed in by app");

    @ArchTest
    static final ArchRule outputsReceiveTheirConfiguration = noClasses().that().resideInAnyPackage(OUTPUTS)
            .should().dependOnClassesThat().resideInAPackage("it.semaforo.app..")
            .because("app reads the configuration and hands each output the settings it needs (render.Site, "
                    + "admin.AdminSettings)");

    @ArchTest
    static final ArchRule renderingKnowsNoOutput = noClasses().that().resideInAPackage("it.semaforo.render..")
            .should().dependOnClassesThat().resideInAnyPackage(concat(OUTPUTS, "it.semaforo.app..", "it.semaforo.http..",
                    "io.javalin.."))
            .because("every output renders with it (Rendered, messages, languages, formats, templates): "
                    + "it turns a model into bytes and knows neither HTTP nor who asked");

    @ArchTest
    static final ArchRule cacheRendersNothing = noClasses().that().resideInAPackage("it.semaforo.cache..")
            .should().dependOnClassesThat().resideInAnyPackage(concat(without(OUTPUTS, "it.semaforo.cache.."),
                    "it.semaforo.app..", "gg.jte.."))
            .because("the cache keeps the bytes the outputs render, and renders nothing itself");

    @ArchTest
    static final ArchRule httpKnowsNoOutput = noClasses().that().resideInAPackage("it.semaforo.http..")
            .should().dependOnClassesThat().resideInAnyPackage(concat(without(OUTPUTS, "it.semaforo.cache.."),
                    "it.semaforo.app.."))
            .because("every output answers through it (languages, the cache, the one not-found path); each area's "
                    + "own answers are handed in");

    @ArchTest
    static final ArchRule oneJsonConfiguration = noClasses().that().doNotHaveFullyQualifiedName("it.semaforo.text.JsonText")
            .should().callConstructorWhere(target(owner(assignableTo(ObjectMapper.class))))
            .because("JSON is written one way (text.JsonText.MAPPER); a part that needs more derives it with copy()");

    @ArchTest
    static final ArchRule textIsALeaf = noClasses().that().resideInAPackage("it.semaforo.text..")
            .should().dependOnClassesThat(resideInAPackage("it.semaforo..").and(not(resideInAPackage("it.semaforo.text.."))))
            .because("Markdown, slugs and JSON are tools every package may use");

    @ArchTest
    static final ArchRule netIsALeaf = noClasses().that().resideInAPackage("it.semaforo.net..")
            .should().dependOnClassesThat(resideInAPackage("it.semaforo..").and(not(resideInAPackage("it.semaforo.net.."))))
            .because("the rule for the addresses we do not reach out to is one, used by every part that makes "
                    + "outgoing requests (webhooks, signals), whatever layer it is in");

    @ArchTest
    static final ArchRule outgoingRequestsGoThroughTheGuardedClient = noClasses().that()
            .resideOutsideOfPackages("it.semaforo.net..", "it.semaforo.app..")
            .should().dependOnClassesThat().resideInAnyPackage("java.net.http..", "org.apache.hc.client5.http.impl..")
            .orShould().dependOnClassesThat().areAssignableTo(org.apache.hc.client5.http.DnsResolver.class)
            .because("an address typed in the clerks' area is reached one way, net.GuardedHttp: resolved once, the "
                    + "addresses connected to checked against net.PrivateAddresses (DNS rebinding), no redirect "
                    + "followed by the client; app's health check asks its own loopback");

    @ArchTest
    static final ArchRule accountKnowsOnlyTheDatabase = noClasses().that().resideInAPackage("it.semaforo.account..")
            .should().dependOnClassesThat(resideInAPackage("it.semaforo..")
                    .and(not(resideInAnyPackage("it.semaforo.account..", "it.semaforo.db.."))))
            .because("second factors are stored and checked below the clerks' area, which uses them after any first "
                    + "factor (a password, an identity provider); roles reach it as their stored keys");

    private static String[] without(String[] a, String b) {
        return java.util.Arrays.stream(a).filter(p -> !p.equals(b)).toArray(String[]::new);
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
