"""Object storage: local disk, memory, S3 and Azure Blob behind one sync and async API.

>>> store = ObjectStore("memory://")
>>> store.put("a.txt", b"hi").size
2
"""

from ._filerepo import AsyncFileRepository as AsyncFileRepository
from ._filerepo import FileRepository as FileRepository
from ._info import ObjectEntry as ObjectEntry
from ._info import ObjectInfo as ObjectInfo
from ._info import PutResult as PutResult
from ._upload import Upload as Upload
from .asyncio import AsyncObjectStore as AsyncObjectStore
from .fileref import FileRef as FileRef
from .files import AsyncFiles as AsyncFiles
from .files import Files as Files
from .garbage import GarbageReport as GarbageReport
from .garbage import acollect_garbage as acollect_garbage
from .garbage import collect_garbage as collect_garbage
from .store import ObjectStore as ObjectStore

__all__ = [
    "AsyncFileRepository",
    "AsyncFiles",
    "AsyncObjectStore",
    "FileRef",
    "FileRepository",
    "Files",
    "GarbageReport",
    "ObjectEntry",
    "ObjectInfo",
    "ObjectStore",
    "PutResult",
    "Upload",
    "acollect_garbage",
    "collect_garbage",
]
