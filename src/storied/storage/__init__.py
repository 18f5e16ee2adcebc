"""Object storage: local disk, memory, S3 and Azure Blob behind one sync and async API.

>>> store = ObjectStore("memory://")
>>> store.put("a.txt", b"hi").size
2
"""

from ._info import ObjectEntry as ObjectEntry
from ._info import ObjectInfo as ObjectInfo
from ._info import PutResult as PutResult
from .asyncio import AsyncObjectStore as AsyncObjectStore
from .store import ObjectStore as ObjectStore

__all__ = ["AsyncObjectStore", "ObjectEntry", "ObjectInfo", "ObjectStore", "PutResult"]
