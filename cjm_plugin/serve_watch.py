"""``mkdocs serve`` keeps watching the journeys folder as it goes and comes back."""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from pathlib import Path
from typing import Any

import watchdog.events
from mkdocs.livereload import LiveReloadServer
from watchdog.observers.api import ObservedWatch

from .load import display_path
from .mkdocs_private import request_rebuild, server_observer

log = logging.getLogger("mkdocs.plugins.cjm")


#: A folder's device and inode: which folder stands at a path.
_FolderId = tuple[int, int]


class JourneysFolderWatch:
    """Keeps ``mkdocs serve`` watching the journeys folder as it goes and comes back.

    MkDocs watches with watchdog's polling observer, whose watch of a folder
    ends for good once the folder is gone, telling only with a folder event,
    which MkDocs ignores: the folder's removal goes unnoticed and its return
    unseen. So cjm listens to that watch too, for its end, and watches the
    nearest existing folder above, one level deep, for the journeys folder
    (or one above it) appearing. Either asks MkDocs for a rebuild, and each
    rebuild re-arms both watches. Only folder events count, so a build
    writing files cannot set off another.
    """

    def __init__(self, server: LiveReloadServer) -> None:
        self.server = server
        self.observer = server_observer(server)
        self.folder: str | None = None
        """The journeys folder as MkDocs watches it, while it is watched."""
        self.folder_id: _FolderId | None = None
        self.parent: tuple[str, _FolderId | None, str] | None = None
        """The folder watched one level deep, which folder it was, and for which path."""
        self.parent_watch: Any = None
        self.folder_gone = False
        """Set by the observer thread: the watch of the journeys folder ended."""
        self.parent_gone = False
        """Set by the observer thread: the watch of the folder above ended."""

    def arm(self, journeys_dir: Path) -> None:
        """Watch the folder as it is now; watch again one that was replaced."""
        folder = os.path.abspath(journeys_dir)
        folder_gone, self.folder_gone = self.folder_gone, False
        parent_gone, self.parent_gone = self.parent_gone, False
        folder_id, parent = _folder_id(folder), _nearest_parent(folder)
        if self.folder is not None and (
            folder_gone or self.folder != folder or self.folder_id != folder_id
        ):
            self.server.unwatch(self.folder)
            self.folder = self.folder_id = None
        if self.folder is None and folder_id is not None:
            self._watch_folder(folder, folder_id)
        wanted = (parent, _folder_id(parent), folder)
        if parent_gone or wanted != self.parent:
            self._watch_parent(wanted)
        if (_folder_id(folder), _nearest_parent(folder)) != (folder_id, parent):
            self.request_rebuild()  # it changed while being armed: have another look

    def _watch_folder(self, folder: str, folder_id: _FolderId) -> None:
        try:
            self.server.watch(folder)
        except OSError:  # gone again: the watch above tells when it is back
            # MkDocs counted the watch before it failed: unwatch uncounts it,
            # then finds no watch to end.
            with contextlib.suppress(KeyError):
                self.server.unwatch(folder)
            return
        self.folder, self.folder_id = folder, folder_id
        if self.observer is not None:  # MkDocs' watch, told apart by its path and depth
            watch = ObservedWatch(folder, recursive=True)
            self.observer.add_handler_for_watch(_FolderEvents(self, folder, None), watch)

    def _watch_parent(self, wanted: tuple[str, _FolderId | None, str]) -> None:
        if self.observer is None:
            return
        if self.parent_watch is not None:
            self.observer.unschedule(self.parent_watch)
            self.parent_watch = None
        self.parent = wanted  # tried once: a folder that cannot be watched is told once
        parent, _, folder = wanted
        try:
            self.parent_watch = self.observer.schedule(
                _FolderEvents(self, folder, parent), parent, recursive=False
            )
        except OSError as exc:
            log.warning(
                f"cjm: cannot watch {display_path(Path(parent))} ({exc}): if the journeys "
                "folder is removed or replaced, restart mkdocs serve"
            )

    def request_rebuild(self) -> None:
        """Have MkDocs rebuild, as its own watches do."""
        request_rebuild(self.server)


class _FolderEvents(watchdog.events.FileSystemEventHandler):
    """Folder events of one watch: the journeys folder's own, or the one above it.

    A polling watch whose folder is gone reports that folder deleted and ends.
    """

    def __init__(self, watch: JourneysFolderWatch, folder: str, parent: str | None) -> None:
        self.watch = watch
        self.folder = Path(folder)
        self.parent = parent
        """The folder this handler's watch is on, for the one above the journeys folder."""

    def on_any_event(self, event: watchdog.events.FileSystemEvent) -> None:
        if not event.is_directory:
            return  # MkDocs' own handler rebuilds for files
        source = os.fsdecode(event.src_path)
        if self.parent is None:  # on the journeys folder's watch
            if event.event_type == "deleted" and Path(source) == self.folder:
                self.watch.folder_gone = True
                self.watch.request_rebuild()
        elif event.event_type == "deleted" and source == self.parent:
            self.watch.parent_gone = True
            self.watch.request_rebuild()
        elif event.event_type in ("created", "moved"):
            arrived = Path(os.fsdecode(getattr(event, "dest_path", "")) or source)
            if arrived == self.folder or arrived in self.folder.parents:
                self.watch.request_rebuild()


def _folder_id(path: str) -> _FolderId | None:
    """Which folder is at ``path`` now (``None``: none); another one needs another watch."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_dev, status.st_ino) if stat.S_ISDIR(status.st_mode) else None


def _nearest_parent(path: str) -> str:
    """The nearest folder above ``path`` that exists."""
    parent = os.path.dirname(path)
    while not os.path.isdir(parent) and os.path.dirname(parent) != parent:
        parent = os.path.dirname(parent)
    return parent
