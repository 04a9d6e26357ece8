package it.semaforo.render;

import it.semaforo.notice.Notice;
import it.semaforo.status.ReadModel;

import java.util.List;
import java.util.stream.Stream;

/**
 * An output (pages, feeds, API, embeds) that lists its public addresses, so that the static
 * export renders each in-process instead of crawling the server. Each feature lists what its
 * own routes answer; StaticExportTest crawls the export to prove the list complete.
 */
public interface PublicOutput {
    /**
     * Every address of this output, for the read model m and the public avvisi (withdrawn ones
     * included: their addresses answer 410 forever), loaded once for all the outputs. The
     * addresses of no avviso do not depend on notices: given some avvisi only, it lists theirs.
     */
    Stream<PublicAddress> addresses(ReadModel m, List<Notice> notices);

    /**
     * The addresses a change can alter, add or remove (the mirror, after each public change):
     * by default the listing of the change's avvisi, filtered by its topics. An output whose
     * full listing costs queries (the archive's pages) lists only what the change reaches.
     */
    default Stream<PublicAddress> changed(ReadModel m, PublicChange change) {
        return addresses(m, change.notices()).filter(change::reaches);
    }
}
