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
     * included: their addresses answer 410 forever), loaded once for all the outputs.
     */
    Stream<PublicAddress> addresses(ReadModel m, List<Notice> notices);
}
