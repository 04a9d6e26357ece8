package it.semaforo.notice;

import java.util.List;

public record ArchivePage(List<Notice> items, int total, int page, int pageSize) {
    public int pages() {
        return Math.max(1, (total + pageSize - 1) / pageSize);
    }
}
