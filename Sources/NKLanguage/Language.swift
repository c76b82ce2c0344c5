import NKEngine
