"""Type stubs of the native module (the Rust pipeline)."""

from os import PathLike
from typing import Iterable, Iterator, List, Optional, Tuple, Union

__version__: str

class InputError(ValueError):
    """An input unspin cannot analyse; the message names the input and the problem."""

def analyze_one(
    kind: str,
    payload: str,
    label: str,
    *,
    model: Optional[str] = ...,
    min_confidence: float = ...,
    batch: bool = ...,
    max_bytes: int = ...,
    timeout: float = ...,
) -> Tuple[str, List[str]]: ...

class Stream(Iterator[Tuple[bool, str, str, List[str]]]):
    def __iter__(self) -> "Stream": ...
    def __next__(self) -> Tuple[bool, str, str, List[str]]: ...

def stream_items(
    items: Iterable[object],
    *,
    jobs: Optional[int] = ...,
    model: Optional[str] = ...,
    min_confidence: float = ...,
    max_bytes: int = ...,
    timeout: float = ...,
) -> Stream: ...

def stream_path(
    path: Union[str, "PathLike[str]"],
    *,
    jobs: Optional[int] = ...,
    model: Optional[str] = ...,
    min_confidence: float = ...,
    max_bytes: int = ...,
    timeout: float = ...,
) -> Stream: ...
