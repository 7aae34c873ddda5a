"""Journey files -> validated records, every value traced to its FILE:LINE:COL.

One module a step, data flowing one way:

- :mod:`.files`: the folder listed and each file read (capped, links kept
  inside the folder, unchanged files not read again during serve);
- :mod:`.front_matter`: the front matter cut from the file and composed as
  YAML within limits (:mod:`.limits`);
- :mod:`.yaml_values`: the node tree as plain values with their positions;
- :mod:`.messages`: validation errors in the users' words;
- :mod:`.records`: one file parsed and validated on its own;
- :mod:`.sources`: the contract of an input; :mod:`.record_files` (``*.md``)
  and :mod:`.measurement_tables` (``*.csv``) are the two registered here;
- :mod:`.references` and :mod:`.checks`: the fields that name other records,
  as data, and the checks across the whole folder, source by source;
- :mod:`.folder`: all of it for a folder, through a cache across rebuilds.
"""

from __future__ import annotations

from .checks import LoadResult, link
from .files import (
    JourneysFolderMissing,
    SourceText,
    display_path,
    find_journey_files,
    read_folder,
    refused_link,
    resolve_link,
)
from .folder import ParseCache, collector_paused, load_folder, load_sources
from .front_matter import FrontMatter, split_front_matter
from .limits import (
    MAX_FILE_BYTES,
    MAX_LINK_HOPS,
    MAX_NESTING,
    MAX_NUMBER_DIGITS,
    MAX_PROBLEMS_PER_FILE,
    MAX_VALUES,
)
from .measurement_tables import MEASUREMENT_TABLES
from .record_files import RECORD_FILES
from .records import ParsedFile, parse_file
from .sources import (
    Folder,
    Parsed,
    RegistryParts,
    Source,
    register_source,
    registered_sources,
    unregister_source,
)
from .yaml_values import Locator, parse_front_matter

# The inputs of a journeys folder, in the order they are checked: records
# first, since measurement rows name journeys, steps and touchpoints.
register_source(RECORD_FILES)
register_source(MEASUREMENT_TABLES)

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_LINK_HOPS",
    "MAX_NESTING",
    "MAX_NUMBER_DIGITS",
    "MAX_PROBLEMS_PER_FILE",
    "MAX_VALUES",
    "Folder",
    "FrontMatter",
    "JourneysFolderMissing",
    "LoadResult",
    "Locator",
    "ParseCache",
    "Parsed",
    "ParsedFile",
    "RegistryParts",
    "Source",
    "SourceText",
    "collector_paused",
    "display_path",
    "find_journey_files",
    "link",
    "load_folder",
    "load_sources",
    "parse_file",
    "parse_front_matter",
    "read_folder",
    "refused_link",
    "register_source",
    "registered_sources",
    "resolve_link",
    "split_front_matter",
    "unregister_source",
]
