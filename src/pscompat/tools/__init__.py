"""pscompat.tools"""
