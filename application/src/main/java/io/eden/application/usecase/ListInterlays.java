package io.eden.application.usecase;

import io.eden.application.port.out.InterlayRepository;
import io.eden.application.service.ViewAssembler;
import io.eden.application.view.InterlayView;
import java.util.List;

/** All interlays, oldest first, with where they route and how many clients they have. */
public final class ListInterlays {
    private final InterlayRepository interlays;
    private final ViewAssembler views;

    public ListInterlays(InterlayRepository interlays, ViewAssembler views) {
        this.interlays = interlays;
        this.views = views;
    }

    public List<InterlayView> execute() {
        return interlays.findAll().stream().map(views::interlay).toList();
    }
}
