"""pscompat.render"""
